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
        Err(message) => {
            eprintln!("dieuhanh: lỗi (error): {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
