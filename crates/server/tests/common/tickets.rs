//! The demo people, an agent token and tickets filed straight into the database, for the
//! tests of "My Tickets" and escalations (the wizard's own tests cover filing).

use axum::http::{Method, StatusCode};
use lantern_core::conversation::TicketDetail;
use lantern_core::ticket::{TicketContact, TicketDraft, ticket_number};
use lantern_server::db;
use lantern_server::tokens::hash_token;
use serde_json::{Value, json};

use super::{TestApp, TestRequest};

pub const ALICE: &str = "alice@northwind.example";
pub const OLIVIA: &str = "olivia@northwind.example";
pub const CARL: &str = "carl@contoso.example";
pub const AGENT_TOKEN: &str = "test-agent-token-0123456789";
pub const AGENT_NAME: &str = "Sam Support";

impl TestApp {
    /// Installs [`AGENT_TOKEN`] for the agent API.
    pub async fn install_agent_token(&self) {
        let token = db::agent_tokens::NewAgentToken {
            name: AGENT_NAME,
            token_hash: &hash_token(AGENT_TOKEN),
            expires_at: None,
            organisation_id: None,
        };
        db::agent_tokens::create(&self.state.database, &token, self.state.now_seconds())
            .await
            .expect("agent token");
    }

    /// A request of the agent API, with [`AGENT_TOKEN`].
    pub fn agent(&self, method: Method, path: &str) -> TestRequest<'_> {
        self.request(method, path)
            .header("authorization", &format!("Bearer {AGENT_TOKEN}"))
    }

    /// The ticket as the signed-in customer (`cookie`) sees it; it must be visible to them.
    pub async fn ticket_detail(&self, cookie: &str, number: &str) -> TicketDetail {
        let response = self
            .get(&format!("/api/v1/tickets/{number}"))
            .cookie(cookie)
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.json()
    }

    /// The id and organisation of the account `email`.
    pub async fn person(&self, email: &str) -> db::accounts::User {
        db::accounts::user_by_email(&self.state.database, email)
            .await
            .expect("query")
            .expect("user")
    }

    /// Files a problem ticket for `email` with a response target an hour away and returns its
    /// number.
    pub async fn file_ticket(&self, email: &str, subject: &str, severity: &str) -> String {
        self.file_ticket_of_type(email, subject, severity, "problem")
            .await
    }

    /// Files a ticket of the policy's `case_type` for `email`, as [`TestApp::file_ticket`].
    pub async fn file_ticket_of_type(
        &self,
        email: &str,
        subject: &str,
        severity: &str,
        case_type: &str,
    ) -> String {
        let user = self.person(email).await;
        let draft = TicketDraft {
            product: "harbor-backup".into(),
            case_type: case_type.into(),
            subject: subject.into(),
            description: "The nightly backup of the file server stops at 40 %.".into(),
            severity: severity.into(),
            contact: TicketContact {
                name: user.name.clone(),
                email: email.into(),
                ..TicketContact::default()
            },
            ..TicketDraft::default()
        };
        let now = self.state.now_seconds();
        let ticket = db::tickets::NewTicket {
            organisation_id: user.organisation_id,
            requester_id: user.id,
            draft: &draft,
            contact_email: email,
            support_level: "l1",
            created_at: now,
            response_due_at: Some(now + 3600),
        };
        let mut transaction = self.state.begin_write().await.expect("a write transaction");
        let id = db::tickets::insert(&mut transaction, &ticket)
            .await
            .expect("insert");
        transaction.commit().await.expect("commit");
        ticket_number(id)
    }
}

/// The JSON of a question ticket by Alice that every rule of the default policy accepts, as the
/// wizard sends it.
pub fn question_ticket(subject: &str) -> Value {
    json!({
        "product": "harbor-backup",
        "component": "",
        "version": "8.2.1",
        "case_type": "question",
        "subject": subject,
        "description": "How do I restore a single file from last night without restoring the share?",
        "steps_to_reproduce": "",
        "expected_result": "",
        "actual_result": "",
        "severity": "minor",
        "operating_system": "",
        "computer_id": "",
        "username": "",
        "recent_changes": "",
        "integrations": "",
        "attachments": [],
        "contact": { "name": "Alice Andersen", "email": ALICE, "phone": "", "preferred_channel": "" },
        "cc": [],
    })
}
