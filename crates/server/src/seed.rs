//! Demo data for an empty database (`LANTERN_DEMO=1`); the README lists the accounts.

use lantern_core::api::Role;

use crate::accounts::create_account;
use crate::auth::hash_token;
use crate::db::{self, accounts::NewOrganisation};
use crate::error::AppResult;
use crate::state::AppState;

pub const DEMO_PASSWORD: &str = "lantern-demo";
pub const DEMO_AGENT_NAME: &str = "demo-agent";

struct DemoOrganisation {
    name: &'static str,
    plan: &'static str,
    domain: &'static str,
    allow_self_registration: bool,
    people: &'static [(&'static str, &'static str, Role)],
}

const DEMO: [DemoOrganisation; 2] = [
    DemoOrganisation {
        name: "Northwind Traders",
        plan: "enterprise",
        domain: "northwind.example",
        allow_self_registration: true,
        people: &[
            ("Alice Andersen", "alice@northwind.example", Role::Contact),
            ("Olivia Ortiz", "olivia@northwind.example", Role::OrgAdmin),
        ],
    },
    DemoOrganisation {
        name: "Contoso",
        plan: "professional",
        domain: "contoso.example",
        allow_self_registration: false,
        people: &[("Carl Carter", "carl@contoso.example", Role::Contact)],
    },
];

/// Seeds the demo organisations, people and agent token when the database has no organisation
/// yet; returns whether it did.
pub async fn seed_demo(state: &AppState) -> AppResult<bool> {
    if db::accounts::organisation_count(&state.db).await? > 0 {
        return Ok(false);
    }
    let now = state.now_seconds();
    for demo in &DEMO {
        let domains = [demo.domain.to_owned()];
        let organisation = NewOrganisation {
            name: demo.name,
            plan: demo.plan,
            domains: &domains,
            allow_self_registration: demo.allow_self_registration,
        };
        let id = db::accounts::create_organisation(&state.db, &organisation, now).await?;
        for (name, email, role) in demo.people {
            create_account(state, id, email, name, *role, DEMO_PASSWORD).await?;
        }
    }
    if let Some(token) = &state.config.demo_agent_token {
        db::agent_tokens::create(&state.db, DEMO_AGENT_NAME, &hash_token(token), now).await?;
    }
    Ok(true)
}
