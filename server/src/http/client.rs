//! Who is at the other end of a request, and whether it comes from this site's own pages.
//!
//! Behind the Government's HTTPS proxy the peer of every connection is the proxy. Its
//! `X-Forwarded-For` and `X-Forwarded-Proto` are believed only when the peer is one of
//! `DIEUHANH_TRUSTED_PROXIES`; from anyone else they are ignored, so a client cannot choose the
//! address that the audit log records or that the sign-in limits count. The origin checks
//! (forms, server functions, `/ws`) compare against `DIEUHANH_PUBLIC_URL` when it is set, since
//! the `Host` a proxy passes on need not be the one the browser used.

use crate::config::{PublicUrl, TrustedProxies};
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, header};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// This site as people reach it.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub public_url: Option<PublicUrl>,
    pub trusted_proxies: Arc<TrustedProxies>,
}

/// The client of one request: its address and whether it reached the site over HTTPS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    pub address: IpAddr,
    pub https: bool,
}

impl Site {
    /// The site as the settings describe it (`DIEUHANH_PUBLIC_URL`, `DIEUHANH_TRUSTED_PROXIES`).
    pub fn from_settings(settings: &crate::config::Settings) -> Site {
        Site {
            public_url: settings.public_url.clone(),
            trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
        }
    }

    /// The client behind `peer`: the nearest address in `X-Forwarded-For` that is not a trusted
    /// proxy, when `peer` is one; `peer` itself otherwise.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> Client {
        let peer = peer.to_canonical();
        let trusted = self.trusted_proxies.contains(peer);
        let mut address = peer;
        if trusted {
            // Each proxy appends the address it was reached from: read from the right, past
            // our own proxies, and stop at the first one we do not run (or at anything
            // unreadable, which nothing beyond can be believed after).
            let hops = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .collect::<Vec<_>>();
            for hop in hops.iter().rev() {
                if !self.trusted_proxies.contains(address) {
                    break;
                }
                match hop.parse::<IpAddr>() {
                    Ok(ip) => address = ip.to_canonical(),
                    Err(_) => break,
                }
            }
        }
        let forwarded_https = trusted
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
        Client {
            address,
            https: forwarded_https || self.public_url.as_ref().is_some_and(PublicUrl::is_https),
        }
    }

    /// Whether `source` (an `Origin` or `Referer` value) is this site: the public address when
    /// one is set, else the host the request was sent to.
    pub fn is_own(&self, source: &str, headers: &HeaderMap) -> bool {
        let Ok(url) = url::Url::parse(source) else {
            return false;
        };
        if let Some(public) = &self.public_url {
            return url.origin().ascii_serialization() == public.origin();
        }
        let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let authority = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        authority.eq_ignore_ascii_case(host)
    }

    /// Whether a browser request comes from this site's pages: its `Origin`, or without one its
    /// `Referer`, names this site. A request with neither is not from a page of ours.
    pub fn from_own_page(&self, headers: &HeaderMap) -> bool {
        headers
            .get(header::ORIGIN)
            .or_else(|| headers.get(header::REFERER))
            .and_then(|v| v.to_str().ok())
            .is_some_and(|source| self.is_own(source, headers))
    }

    /// The full address of a path, for links printed or sent (a wall's address, later e-mails):
    /// the public address, or the one the server listens on.
    pub fn link(&self, listening: &str, path: &str) -> String {
        match &self.public_url {
            Some(public) => public.join(path),
            None => format!("http://{listening}{path}"),
        }
    }
}

/// The client of a request, as [`Site::client`] judged it when the request came in.
pub fn of(req: &Request) -> Option<Client> {
    req.extensions().get::<Client>().copied()
}

/// Puts the request's [`Client`] in its extensions, for the layers and handlers after it.
pub async fn identify(
    axum::extract::State(site): axum::extract::State<Site>,
    mut req: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if let Some(peer) = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    {
        let client = site.client(peer, req.headers());
        req.extensions_mut().insert(client);
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(public: Option<&str>, trusted: &str) -> Site {
        Site {
            public_url: public.map(|p| PublicUrl::parse(p).unwrap()),
            trusted_proxies: Arc::new(TrustedProxies::parse(trusted).unwrap()),
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_headers_are_believed_from_trusted_proxies_only() {
        let s = site(None, "10.0.0.0/24");
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.7"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            s.client(ip("10.0.0.5"), &h),
            Client {
                address: ip("198.51.100.7"),
                https: true
            }
        );
        // The same headers from anyone else change nothing.
        assert_eq!(
            s.client(ip("203.0.113.9"), &h),
            Client {
                address: ip("203.0.113.9"),
                https: false
            }
        );
    }

    #[test]
    fn a_forged_hop_before_the_real_client_is_not_believed() {
        let s = site(None, "10.0.0.0/24");
        // The client sent "X-Forwarded-For: 1.2.3.4"; our proxy appended its real address, and
        // a second proxy of ours the first one's.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.6")]);
        assert_eq!(s.client(ip("10.0.0.5"), &h).address, ip("198.51.100.7"));
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "198.51.100.7"),
        ]);
        assert_eq!(s.client(ip("10.0.0.5"), &h).address, ip("198.51.100.7"));
        // Garbage stops the walk at the last address that could be believed.
        let h = headers(&[("x-forwarded-for", "198.51.100.7, nonsense")]);
        assert_eq!(s.client(ip("10.0.0.5"), &h).address, ip("10.0.0.5"));
        // IPv4 peers on an IPv6 socket are the same peers.
        let h = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(
            s.client(ip("::ffff:10.0.0.5"), &h).address,
            ip("198.51.100.7")
        );
    }

    #[test]
    fn origins_are_checked_against_the_public_address_when_it_is_set() {
        let s = site(Some("https://dieuhanh.chinhphu.vn"), "");
        let h = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://dieuhanh.chinhphu.vn"),
        ]);
        assert!(s.from_own_page(&h));
        let h = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(
            !s.from_own_page(&h),
            "behind the proxy, only the public address"
        );
        let h = headers(&[("origin", "https://dieuhanh.chinhphu.vn.evil.example")]);
        assert!(!s.from_own_page(&h));
        // Without it, the host the request was sent to, as before.
        let s = site(None, "");
        let h = headers(&[
            ("host", "127.0.0.1:3000"),
            ("referer", "http://127.0.0.1:3000/admin"),
        ]);
        assert!(s.from_own_page(&h));
        assert!(!s.from_own_page(&headers(&[("host", "127.0.0.1:3000")])));
        // An https public address makes every cookie Secure, whatever the proxy says.
        let s = site(Some("https://dieuhanh.chinhphu.vn"), "");
        assert!(s.client(ip("127.0.0.1"), &HeaderMap::new()).https);
    }
}
