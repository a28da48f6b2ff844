use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // A write past the file-size limit (RLIMIT_FSIZE, a quota) must fail as a full disk does, with
    // an error the store reports, rather than kill the server with SIGXFSZ.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let cli = server::cli::Cli::parse();
    match server::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dieuhanh: lỗi (error): {}", with_causes(error.as_ref()));
            std::process::ExitCode::FAILURE
        }
    }
}

/// The error's message followed by each cause that it does not already say (most of ours quote
/// the database's message; the ones that do not still reach the person).
fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        let said = c.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        cause = c.source();
    }
    text
}
