//! The test harness of the one integration-test binary (libtest-mimic): how each test runs (on
//! which tokio runtime, with or without PostgreSQL) and how a test that cannot run here says
//! "ignored" with its reason instead of "ok".

use libtest_mimic::{Completion, Failed, Trial};
use std::future::Future;

/// What a test may return: nothing (it ran), or [`Skip`] when something outside the project
/// that it needs is missing on this machine.
pub trait Outcome {
    fn completion(self) -> Completion;
}

impl Outcome for () {
    fn completion(self) -> Completion {
        Completion::Completed
    }
}

/// A test that could not run here, and why.
pub struct Skip(pub String);

impl Outcome for Result<(), Skip> {
    fn completion(self) -> Completion {
        match self {
            Ok(()) => Completion::Completed,
            Err(Skip(reason)) => Completion::ignored_with(reason),
        }
    }
}

/// Every test of the binary, named `<file>::<function>` as when each file was a binary of its
/// own (`cargo test -p server --test it -- stream::` runs one file's).
#[derive(Default)]
pub struct Trials(Vec<Trial>);

fn name(module: &str, test: &str) -> String {
    let module = module.split_once("::").map_or(module, |(_, m)| m);
    format!("{module}::{test}")
}

fn runtime(threads: Option<usize>) -> tokio::runtime::Runtime {
    match threads {
        None => tokio::runtime::Builder::new_current_thread(),
        Some(n) => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(n);
            b
        }
    }
    .enable_all()
    .build()
    .expect("a tokio runtime")
}

impl Trials {
    pub fn into_vec(self) -> Vec<Trial> {
        self.0
    }

    /// A plain function.
    pub fn plain<O: Outcome + 'static>(&mut self, module: &str, test: &str, f: fn() -> O) {
        self.0
            .push(Trial::ignorable_test(name(module, test), move || {
                Ok(f().completion())
            }));
    }

    /// An async test on a current-thread runtime (as `#[tokio::test]`).
    pub fn tokio<F>(&mut self, module: &str, test: &str, f: fn() -> F)
    where
        F: Future<Output: Outcome> + 'static,
    {
        self.push_async(module, test, None, false, f);
    }

    /// An async test on a runtime of `n` worker threads.
    pub fn threads<F>(&mut self, module: &str, test: &str, n: usize, f: fn() -> F)
    where
        F: Future<Output: Outcome> + 'static,
    {
        self.push_async(module, test, Some(n), false, f);
    }

    /// An async test that needs the test PostgreSQL ([`crate::common::TestPg`]): ignored, with
    /// the reason, when none answers; failed instead under `DIEUHANH_REQUIRE_POSTGRES=1` (CI).
    pub fn postgres<F>(&mut self, module: &str, test: &str, f: fn() -> F)
    where
        F: Future<Output: Outcome> + 'static,
    {
        self.push_async(module, test, None, true, f);
    }

    /// [`Trials::postgres`] on a runtime of `n` worker threads.
    pub fn postgres_threads<F>(&mut self, module: &str, test: &str, n: usize, f: fn() -> F)
    where
        F: Future<Output: Outcome> + 'static,
    {
        self.push_async(module, test, Some(n), true, f);
    }

    fn push_async<F>(
        &mut self,
        module: &str,
        test: &str,
        threads: Option<usize>,
        postgres: bool,
        f: fn() -> F,
    ) where
        F: Future<Output: Outcome> + 'static,
    {
        self.0
            .push(Trial::ignorable_test(name(module, test), move || {
                let rt = runtime(threads);
                rt.block_on(async move {
                    if postgres && let Err(reason) = crate::common::postgres_answers().await {
                        return Ok(Completion::ignored_with(reason));
                    }
                    Ok::<_, Failed>(f().await.completion())
                })
            }));
    }
}

/// `tests![tokio a, threads(2) b, postgres c, postgres_threads(4) d, plain e]` at the end of a
/// file registers its tests; a test function left out is dead code, which the build refuses.
macro_rules! tests {
    ($($kind:ident $(($n:literal))? $test:ident),* $(,)?) => {
        pub fn register(t: &mut crate::harness::Trials) {
            $( t.$kind(module_path!(), stringify!($test), $($n,)? $test); )*
        }
    };
}
pub(crate) use tests;
