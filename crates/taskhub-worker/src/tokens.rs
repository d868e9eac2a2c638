use rand::RngCore;
use taskhub_domain::invite::{InviteToken, TokenGenerator, hash_token};

/// 256 bits from the thread-local CSPRNG (ChaCha, seeded and reseeded from
/// the operating system), hex-encoded: URL-safe.
pub struct RandomTokenGenerator;

impl TokenGenerator for RandomTokenGenerator {
    fn generate(&self) -> InviteToken {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        InviteToken {
            hash: hash_token(&token),
            token,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_unique_and_hashed() {
        let generator = RandomTokenGenerator;
        let (a, b) = (generator.generate(), generator.generate());
        assert_eq!(a.token.len(), 64);
        assert_ne!(a.token, b.token);
        assert_eq!(a.hash, hash_token(&a.token));
        assert!(a.token.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
