// `sqlx::migrate!` embeds the migrations at compile time, and on stable Rust the compiler
// cannot tell it read them: without this, an edited migration would not rebuild the server and
// tests would run the old SQL.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
