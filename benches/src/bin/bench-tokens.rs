//! Writes the three benchmark tokens (small, access, large) to a directory,
//! for the C benchmark.
use tessera_benches::{access_payload, large_payload, small_payload, token};

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/bench-tokens".into());
    std::fs::create_dir_all(&dir)?;
    for (name, payload) in [("small", small_payload()), ("access", access_payload()), ("large", large_payload())] {
        std::fs::write(format!("{dir}/{name}.jwt"), token(&payload) + "\n")?;
    }
    Ok(())
}
