//! The Content-Security-Policy of every page. Leptos puts a fresh nonce on each inline script it
//! writes (hydration, resolved resources); the policy allows those and nothing else inline, so
//! markup that slipped into a page could not run. The other security headers, and a stricter
//! policy for everything that is not a page, are set in `server::http::security`.

/// The policy for a page rendered with `nonce`.
///
/// - `'strict-dynamic'`: the nonce'd module script may load the app's JS and wasm chunks (lazy
///   routes) and nothing else may run; `'self'` is ignored by browsers that know it.
/// - `'wasm-unsafe-eval'`: compiling the app's wasm; it allows no JavaScript `eval`.
/// - Styles keep `'unsafe-inline'`: the charts set `style` attributes in the server's HTML.
///   A style cannot run code; scripts never get it.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the page's policy on the response being rendered. Called by the shell, so every page
/// (including the 404 and error pages) gets it with the nonce its scripts carry.
pub fn set_page_policy() {
    if let (Some(nonce), Some(resp)) = (
        leptos::nonce::use_nonce(),
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(v) = http::HeaderValue::from_str(&page_policy(&nonce))
    {
        resp.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_need_the_nonce_and_nothing_is_inline() {
        let p = page_policy("abc123");
        let scripts = p
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert!(scripts.contains("'nonce-abc123'"));
        assert!(!scripts.contains("unsafe-inline"), "{scripts}");
        assert!(!scripts.contains("'unsafe-eval'"), "{scripts}");
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(p.contains("object-src 'none'"));
    }
}
