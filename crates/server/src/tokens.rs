//! Random tokens (sessions, links in mails, devices, agent tokens) and the hashes the database
//! stores instead of them, so a copy of the database opens no session.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh random 256-bit token, hex-encoded.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database stores instead of a token: its SHA-256, hex-encoded.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_and_distinct() {
        let first = new_token();
        assert_eq!(first.len(), 64);
        assert_ne!(first, new_token());
    }

    #[test]
    fn a_token_is_stored_as_its_sha256_in_hex() {
        // The SHA-256 of "abc" (FIPS 180-2, appendix B.1): stored hashes must not change
        // between versions, or every session and link would end.
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
