use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, lazy_route, path};

use crate::components::error_message::PageOrError;
use crate::components::header::{Header, SkipLink};
use crate::components::kb::provide_knowledge_base;
use crate::components::loading::PageLoadingBar;
use crate::pages::account::AccountPage;
use crate::pages::article::{ArticleData, ArticlePage};
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
use crate::pages::support::{SupportData, SupportPage};
use crate::pages::ticket::TicketPage;
use crate::pages::ticket_filed::TicketFiledPage;
use crate::server_page::{self, InNextTask};
use crate::session::{RequireSignIn, provide_session, use_session};
use crate::support_policy::provide_support_policy;

/// The whole app: header, and the page for the current address below it.
///
/// Only the home page (the knowledge-base search most visits start with) is in the first
/// download; every other page is its own WebAssembly part, fetched when it is first opened.
#[component]
pub fn App() -> impl IntoView {
    provide_session();
    provide_support_policy();
    provide_knowledge_base();
    let session = use_session();
    // A server page names who is signed in: it stays until the app's header can too.
    server_page::swap_when_ready(move || session.known());
    let (opening_page, set_opening_page) = signal(false);
    view! {
        <Router set_is_routing=set_opening_page>
            <PageLoadingBar loading=opening_page/>
            <SkipLink/>
            <Header/>
            <main id="main" tabindex="-1" aria-busy=move || opening_page.get().to_string()>
                // The header is built in the task that starts the app, the page in the next.
                <InNextTask>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=|| view! { <PageOrError><HomePage/></PageOrError> }/>
                    <Route path=path!("/kb/:slug") view={lazy::<ArticleRoute>()}/>
                    <Route path=path!("/support") view={lazy::<SupportRoute>()}/>
                    <Route path=path!("/tickets") view={lazy::<MyTicketsRoute>()}/>
                    <Route path=path!("/tickets/new") view={lazy::<NewTicketRoute>()}/>
                    <Route path=path!("/tickets/new/filed/:number") view={lazy::<TicketFiledRoute>()}/>
                    <Route path=path!("/tickets/:number") view={lazy::<TicketRoute>()}/>
                    <Route path=path!("/account") view={lazy::<AccountRoute>()}/>
                    <Route path=path!("/signin") view={lazy::<SignInRoute>()}/>
                    <Route path=path!("/register") view={lazy::<RegisterRoute>()}/>
                    <Route path=path!("/reset-password") view={lazy::<PasswordResetRoute>()}/>
                    // The links in the server's mails.
                    <Route path=path!("/registrations/:token") view={lazy::<ConfirmRegistrationRoute>()}/>
                    <Route path=path!("/password-resets/:token") view={lazy::<NewPasswordRoute>()}/>
                    <Route path=path!("/invitations/:token") view={lazy::<InvitationRoute>()}/>
                </Routes>
                </InNextTask>
            </main>
        </Router>
    }
}

/// A lazily loaded page, built in a task after the one that instantiated its part while the
/// server's page shows (see [`server_page::next_task`]).
fn lazy<Page: LazyRoute>() -> Lazy<BuiltInNextTask<Page>> {
    Lazy::new()
}

struct BuiltInNextTask<Page>(Page);

impl<Page: LazyRoute> LazyRoute for BuiltInNextTask<Page> {
    fn data() -> Self {
        Self(Page::data())
    }

    async fn view(this: Self) -> AnyView {
        let view = Page::view(this.0).await;
        server_page::next_task().await;
        view
    }

    async fn preload() {
        Page::preload().await;
    }
}

/// Declares a route whose page is loaded lazily: `open` pages anyone may see, `signed_in`
/// pages send everyone else to sign in first. With `data: T`, `T::start()` begins loading the
/// page's data while its part downloads, instead of after, and the page gets it as `data`.
macro_rules! lazy_page {
    ($route:ident, $page:ident, open) => {
        lazy_page!(@route $route, () = (), |_data| view! { <PageOrError><$page/></PageOrError> });
    };
    ($route:ident, $page:ident, open, data: $data:ty) => {
        lazy_page!(@route $route, $data = <$data>::start(), |data| {
            view! { <PageOrError><$page data/></PageOrError> }
        });
    };
    ($route:ident, $page:ident, signed_in) => {
        lazy_page!(@route $route, () = (), |_data| {
            view! { <PageOrError><RequireSignIn><$page/></RequireSignIn></PageOrError> }
        });
    };
    (@route $route:ident, $data:ty = $start:expr, |$this:ident| $view:expr) => {
        struct $route($data);

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self($start)
            }

            fn view(this: Self) -> AnyView {
                let $this = this.0;
                $view.into_any()
            }
        }
    };
}

lazy_page!(ArticleRoute, ArticlePage, open, data: ArticleData);
lazy_page!(SupportRoute, SupportPage, open, data: SupportData);
lazy_page!(MyTicketsRoute, MyTicketsPage, signed_in);
lazy_page!(NewTicketRoute, NewTicketPage, signed_in);
lazy_page!(TicketFiledRoute, TicketFiledPage, signed_in);
lazy_page!(TicketRoute, TicketPage, signed_in);
lazy_page!(AccountRoute, AccountPage, signed_in);
lazy_page!(SignInRoute, SignInPage, open);
lazy_page!(RegisterRoute, RegisterPage, open);
lazy_page!(PasswordResetRoute, PasswordResetPage, open);
lazy_page!(ConfirmRegistrationRoute, ConfirmRegistrationPage, open);
lazy_page!(NewPasswordRoute, NewPasswordPage, open);
lazy_page!(InvitationRoute, InvitationPage, open);
