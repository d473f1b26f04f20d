//! consort: configuration → database → mail → router → serve.

/// jemalloc, not glibc's malloc: with glibc, allocation took about a quarter
/// of a members page's CPU (perf, 10,001 members, c=50); with jemalloc the page
/// serves about a quarter more requests at the same peak memory (README).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use consort::config::Config;
    let config = Config::load();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&config.log).unwrap_or_else(|_| "info".into()),
        )
        .init();
    match serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("consort: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "ssr")]
async fn serve(config: consort::config::Config) -> Result<(), String> {
    use axum::serve::ListenerExt;
    use consort::config::MailMode;
    use consort::{db::Db, mail, state::AppState, web};
    use leptos::config::get_configuration;
    use std::net::SocketAddr;

    let leptos_options = get_configuration(None)
        .map_err(|e| format!("leptos configuration: {e}"))?
        .leptos_options;
    let listen = config.listen.unwrap_or(leptos_options.site_addr);
    let public_url = config.public_url(listen);

    config.validate(listen)?;
    let mail_mode = config.mail_mode(listen)?;

    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let mailer = mail::Mailer::new();
    let transport = match &mail_mode {
        MailMode::Smtp(url) => Some(
            mail::transport::Transport::from_config(Some(url), &config.mail_from)
                .map_err(|e| e.to_string())?,
        ),
        MailMode::DevMailbox => Some(mail::transport::Transport::DevMailbox),
        MailMode::Queued => None,
    };
    match &transport {
        Some(transport) => {
            transport.check().await.map_err(|e| e.to_string())?;
            mail::worker::spawn(db.clone(), transport.clone(), &mailer);
        }
        None => tracing::warn!(
            "no mail server configured: email is kept queued and sent once you set MAIL \
             (smtp://host:port, smtp://user:pass@host:587?tls=required or smtps://user:pass@host:465); \
             for local development, --dev-mailbox shows it at {public_url}/dev/mailbox"
        ),
    }
    let dev_mailbox = mail_mode == MailMode::DevMailbox;
    if dev_mailbox {
        tracing::warn!(
            "development mailbox: email is not sent but shown at {public_url}/dev/mailbox"
        );
    }
    let state = AppState::new(
        db.clone(),
        config,
        public_url.clone(),
        mailer,
        leptos_options,
    );
    consort::auth::session::spawn_cleanup(db.clone());
    consort::service::access_ends::spawn(
        state.clone(),
        std::time::Duration::from_secs(state.config.access_job_seconds.unsigned_abs()),
    );

    if let Some(address) = state.config.metrics_listen {
        // The recorder first, so nothing measured from here on is lost.
        web::metrics::handle();
        web::metrics::spawn_upkeep();
        if address == listen {
            return Err(format!(
                "CONSORT_METRICS_LISTEN ({address}) must differ from the listen address"
            ));
        }
        let metrics = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| format!("cannot listen for metrics on {address}: {e}"))?;
        tracing::info!("metrics at http://{address}/metrics");
        let router = web::metrics::router(state.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(metrics, router).await {
                tracing::error!(%error, "the metrics listener stopped");
            }
        });
    }
    let app = web::router::router(state, dev_mailbox);
    // No Nagle delay: a response written in pieces (a file's chunks after its
    // headers) would otherwise wait for the client's delayed ACK, up to 40 ms.
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?
        .tap_io(|connection| {
            if let Err(error) = connection.set_nodelay(true) {
                tracing::debug!(%error, "cannot turn off Nagle's algorithm");
            }
        });
    tracing::info!(
        database = db.backend(),
        mail = transport.as_ref().map_or("queued", |t| t.name()),
        "Consort is listening on {listen}; open {public_url}"
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| e.to_string())?;
    db.close().await;
    Ok(())
}

#[cfg(feature = "ssr")]
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}

#[cfg(not(feature = "ssr"))]
fn main() {}
