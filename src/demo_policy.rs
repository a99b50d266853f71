//! The vendor policy of the demo (`policies/default.toml`), for the app's unit tests.

use lantern_core::policy::Policy;

pub fn demo_policy() -> Policy {
    Policy::from_toml_str(include_str!("../policies/default.toml"))
        .expect("the demo policy is valid")
}
