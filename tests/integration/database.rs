//! Opening databases, and values surviving a round trip on both backends.

use crate::common::on_each_backend;
use consort::db::{self, ConnectError, Db};

#[tokio::test]
async fn timestamps_and_ids_round_trip() {
    on_each_backend(async |env| {
        let signed = env.sign_up("Ana", "ana@example.com", "Acme").await;
        let user = db::users::find(env.db(), signed.session.user_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.id, signed.session.user_id);
        let at = db::now();
        db::sessions::touch(env.db(), signed.session.id, at)
            .await
            .unwrap();
        let row = db::sessions::find_by_hash(env.db(), &consort::auth::token::hash(&signed.token))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.last_seen_at, at,
            "[{}] a timestamp reads back as written",
            env.backend
        );
    })
    .await;
}

#[tokio::test]
async fn bad_database_settings_get_one_clear_line() {
    let err = Db::connect("sqlite:///no/such/directory/consort.db")
        .await
        .unwrap_err();
    assert!(matches!(err, ConnectError::MissingDirectory(_)));
    assert!(
        err.to_string()
            .contains("\"/no/such/directory\" for the SQLite database does not exist"),
        "{err}"
    );

    let err = Db::connect("mysql://localhost/x")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("unsupported DATABASE_URL"), "{err}");

    let err = Db::connect("postgres://consort:secret@127.0.0.1:1/consort")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("cannot open the database at postgres://consort:***@127.0.0.1:1/consort"),
        "{err}"
    );
    assert!(!err.contains("secret"), "no password in messages");
}

#[tokio::test]
async fn the_default_sqlite_directory_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let previous = std::env::current_dir().unwrap();
    // Only this test changes the working directory; it restores it before returning.
    std::env::set_current_dir(dir.path()).unwrap();
    let result = match Db::connect("sqlite://data/consort.db").await {
        Ok(db) => {
            let pinged = db.ping().await;
            db.close().await;
            pinged.map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    };
    std::env::set_current_dir(previous).unwrap();
    result.expect("data/ is created on first start");
    assert!(dir.path().join("data/consort.db").exists());
}
