use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::error_message::PageOrError;
use crate::components::header::{Header, SkipLink};
use crate::pages::article::ArticlePage;
use crate::pages::confirm_registration::ConfirmRegistrationPage;
use crate::pages::home::HomePage;
use crate::pages::invitation::InvitationPage;
use crate::pages::my_tickets::MyTicketsPage;
use crate::pages::new_password::NewPasswordPage;
use crate::pages::new_ticket::NewTicketPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::password_reset::PasswordResetPage;
use crate::pages::register::RegisterPage;
use crate::pages::signin::SignInPage;
use crate::pages::support::SupportPage;
use crate::pages::ticket::TicketPage;
use crate::session::{RequireSignIn, provide_session};

/// The whole app: header, and the page for the current address below it.
#[component]
pub fn App() -> impl IntoView {
    provide_session();
    view! {
        <Router>
            <SkipLink/>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=open_page(HomePage)/>
                    <Route path=path!("/kb/:slug") view=open_page(ArticlePage)/>
                    <Route path=path!("/support") view=open_page(SupportPage)/>
                    <Route path=path!("/tickets") view=signed_in_page(MyTicketsPage)/>
                    <Route path=path!("/tickets/new") view=signed_in_page(NewTicketPage)/>
                    <Route path=path!("/tickets/:number") view=signed_in_page(TicketPage)/>
                    <Route path=path!("/signin") view=open_page(SignInPage)/>
                    <Route path=path!("/register") view=open_page(RegisterPage)/>
                    <Route path=path!("/reset-password") view=open_page(PasswordResetPage)/>
                    // The links in the server's mails.
                    <Route path=path!("/registrations/:token") view=open_page(ConfirmRegistrationPage)/>
                    <Route path=path!("/password-resets/:token") view=open_page(NewPasswordPage)/>
                    <Route path=path!("/invitations/:token") view=open_page(InvitationPage)/>
                </Routes>
            </main>
        </Router>
    }
}

/// A page anyone may see.
fn open_page<V: IntoView + 'static>(page: fn() -> V) -> impl Fn() -> AnyView + Clone + Send {
    move || view! { <PageOrError>{page()}</PageOrError> }.into_any()
}

/// A page only signed-in people see; others are sent to sign in first.
fn signed_in_page<V: IntoView + 'static>(page: fn() -> V) -> impl Fn() -> AnyView + Clone + Send {
    move || view! { <PageOrError><RequireSignIn>{page()}</RequireSignIn></PageOrError> }.into_any()
}
