//! Session lifetimes.

use crate::common::on_each_backend;
use chrono::Duration;
use consort::auth::session::{self, Timeouts};
use consort::db;

#[tokio::test]
async fn idle_and_absolute_timeouts_end_sessions() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let short_idle = Timeouts {
            idle: Duration::zero(),
            absolute: Duration::days(1),
        };
        assert!(
            session::resolve(env.db(), &signed.token, short_idle)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            env.count("sessions").await,
            0,
            "[{}] an idle session is deleted when seen",
            env.backend
        );

        let (_, token) = session::start(
            env.db(),
            signed.session.user_id,
            &env.client(),
            Timeouts {
                idle: Duration::days(1),
                absolute: Duration::zero(),
            },
        )
        .await
        .unwrap();
        assert!(
            session::resolve(env.db(), &token, env.state.timeouts())
                .await
                .unwrap()
                .is_none(),
            "absolute expiry"
        );

        let (_, token) = session::start(
            env.db(),
            signed.session.user_id,
            &env.client(),
            env.state.timeouts(),
        )
        .await
        .unwrap();
        assert!(env.resolve(&token).await.is_some());
        assert_eq!(
            db::sessions::delete_expired(env.db(), db::now() + Duration::days(31))
                .await
                .unwrap(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let by_token = db::sessions::find_by_hash(env.db(), &signed.token)
            .await
            .unwrap();
        assert!(by_token.is_none(), "the raw token is not a key");
        let by_hash =
            db::sessions::find_by_hash(env.db(), &consort::auth::token::hash(&signed.token))
                .await
                .unwrap();
        assert_eq!(by_hash.map(|s| s.id), Some(signed.session.id));
        assert!(env.resolve("garbage").await.is_none());
    })
    .await;
}
