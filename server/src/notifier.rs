//! The notifier: every `DIEUHANH_NOTIFY_INTERVAL_SECS` it decides what is due
//! (`app::notify::decide`), stores each notification once (the database keeps one per person and
//! `about`, whatever the number of instances), then sends the e-mails waiting in the outbox
//! through `DIEUHANH_SMTP_URL`: each claimed by one instance, marked sent, or tried again later
//! with a doubling wait while the server is unreachable, or failed with the server's reason when
//! it refuses the address. A send is logged by id and outcome, never its content.

use crate::config::{NotifySettings, SmtpSettings};
use crate::metrics::Metrics;
use app::catalogue::LiveCatalogue;
use app::model::notification::{MailOutcome, Outgoing, backoff, digest_cutoff};
use app::notify::decide::{Rules, decide};
use app::store::{SharedStore, StoreError};
use chrono::Utc;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncTransport, Message};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How long an instance holds a claimed e-mail: past it, another may send it.
const CLAIM_SECS: i64 = 300;
/// E-mails sent in one round at most.
const PER_ROUND: i64 = 200;

pub struct Notifier {
    store: SharedStore,
    catalogue: LiveCatalogue,
    clock: app::clock::Clock,
    /// With the mail server's transport and sender, built once with the settings.
    settings: NotifySettings,
    /// The address the links in e-mails start with.
    public: String,
    metrics: Arc<Metrics>,
    /// This instance, as its claims name it.
    instance: String,
}

impl Notifier {
    pub fn new(
        store: SharedStore,
        catalogue: LiveCatalogue,
        clock: app::clock::Clock,
        settings: NotifySettings,
        public: String,
        metrics: Arc<Metrics>,
    ) -> Notifier {
        let instance = format!(
            "{}-{}-{}",
            std::process::id(),
            Utc::now().timestamp_micros(),
            rand::random::<u32>()
        );
        Notifier {
            store,
            catalogue,
            clock,
            settings,
            public: public.trim_end_matches('/').to_string(),
            metrics,
            instance,
        }
    }

    /// Rounds until the task is aborted, the first one interval after start (a start is busy
    /// enough); a round that fails is logged and the next one tries.
    pub async fn run(self) {
        let every = self.settings.interval;
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = self.round().await {
                tracing::warn!(error = %e, "notifications: this round failed; the next one tries again");
            }
        }
    }

    /// Composes the briefs due before their meetings, decides what is due, stores it, and
    /// sends what waits.
    pub async fn round(&self) -> Result<(), StoreError> {
        let catalogue = self.catalogue.now();
        if self.settings.brief_days_before > 0 {
            let desk = app::brief::desk::BriefDesk {
                store: self.store.as_ref(),
                catalogue: &catalogue,
                now: self.clock.now(),
            };
            match desk
                .scheduled(self.clock.today(), self.settings.brief_days_before)
                .await
            {
                Ok(made) => {
                    for r in made {
                        tracing::info!(month = %r.month, seq = r.seq, id = r.id, "brief draft composed before its meeting");
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e.message, "the scheduled brief could not be composed")
                }
            }
        }
        let rules = Rules {
            escalate_after: self.settings.escalate_after,
        };
        let mut due = decide(self.store.as_ref(), &catalogue, self.clock.today(), rules).await?;
        if self.settings.smtp.is_none() {
            // No mail server: the inbox only, and the inbox says no e-mail, not "waiting".
            for n in &mut due {
                n.mail_to = None;
            }
        }
        let stored = self.store.notify(&due, Utc::now()).await?;
        if stored > 0 {
            tracing::info!(stored, "notifications decided");
            self.metrics.notifications.inc_by(stored as u64);
        }
        if let Some(smtp) = &self.settings.smtp {
            self.send(smtp).await?;
        }
        Ok(())
    }

    /// Sends what waits: each notification due at once in its own e-mail, and those kept for
    /// the digest (made before today's digest hour) in one e-mail per address.
    async fn send(&self, smtp: &SmtpSettings) -> Result<(), StoreError> {
        let now = Utc::now();
        let cutoff = digest_cutoff(now, self.settings.digest_hour);
        let mut digests: BTreeMap<String, Vec<Outgoing>> = BTreeMap::new();
        for out in self.store.outbox(now, cutoff, PER_ROUND).await? {
            if out.digest {
                digests.entry(out.mail_to.clone()).or_default().push(out);
            } else if self.claim(&out).await? {
                let message = self.message(smtp, &out.mail_to, &out.subject, &self.one(&out));
                self.deliver(smtp, message, &[out]).await?;
            }
        }
        for (to, list) in digests {
            let mut claimed = Vec::new();
            for out in list {
                if self.claim(&out).await? {
                    claimed.push(out);
                }
            }
            if claimed.is_empty() {
                continue;
            }
            let (subject, body) = self.digest(&claimed);
            let message = self.message(smtp, &to, &subject, &body);
            self.deliver(smtp, message, &claimed).await?;
        }
        Ok(())
    }

    /// Claims `out` for this instance; false when another holds it or sent it.
    async fn claim(&self, out: &Outgoing) -> Result<bool, StoreError> {
        // Each claim from its own moment: after slow sends, a claim dated at the round's start
        // could be over already, and another instance would send the same mail.
        let now = Utc::now();
        let until = now + chrono::Duration::seconds(CLAIM_SECS);
        self.store
            .claim_mail(out.id, &self.instance, now, until)
            .await
    }

    /// Sends one e-mail that carries `items` and records the outcome on each of them.
    async fn deliver(
        &self,
        smtp: &SmtpSettings,
        message: Result<Message, String>,
        items: &[Outgoing],
    ) -> Result<(), StoreError> {
        let first = chrono::Duration::from_std(self.settings.retry_first)
            .unwrap_or_else(|_| chrono::Duration::minutes(1));
        let attempts = items.iter().map(|o| o.attempts).max().unwrap_or(0);
        let outcome = match message {
            Err(error) => MailOutcome::Failed { error },
            Ok(message) => match smtp.transport.send(message).await {
                Ok(_) => MailOutcome::Sent,
                Err(e) if e.is_permanent() && !e.status().is_some_and(|c| ours(c.into())) => {
                    MailOutcome::Failed {
                        error: e.to_string(),
                    }
                }
                Err(e) => MailOutcome::Retry {
                    at: Utc::now() + backoff(attempts, first),
                    error: e.to_string(),
                },
            },
        };
        let ids: Vec<i64> = items.iter().map(|o| o.id).collect();
        match &outcome {
            MailOutcome::Sent => {
                tracing::info!(notifications = ?ids, "mail sent");
                self.metrics.mail_sent.inc();
            }
            MailOutcome::Retry { at, error } => {
                tracing::warn!(notifications = ?ids, %error, retry_at = %at, "mail not sent; will try again");
                self.metrics.mail_retried.inc();
            }
            MailOutcome::Failed { error } => {
                tracing::warn!(notifications = ?ids, %error, "mail refused");
                self.metrics.mail_failed.inc();
            }
        }
        for id in ids {
            self.store
                .mail_done(id, &self.instance, &outcome, Utc::now())
                .await?;
        }
        Ok(())
    }

    /// The text of one notification's e-mail, with the page's address.
    fn one(&self, out: &Outgoing) -> String {
        format!("{}\n\nXem (open): {}{}", out.body, self.public, out.link)
    }

    /// The day's digest of `items`: its subject and text, each notification with its page.
    fn digest(&self, items: &[Outgoing]) -> (String, String) {
        let day = app::model::i18n::Lang::Vi.date(app::model::vietnam_time(Utc::now()).date());
        let subject = format!(
            "Thông báo trong ngày {day}: {n} thông báo (daily digest: {n} notifications)",
            n = items.len()
        );
        let body = items
            .iter()
            .enumerate()
            .map(|(i, o)| format!("{}. {}\n{}", i + 1, o.subject, self.one(o)))
            .collect::<Vec<_>>()
            .join("\n\n");
        (subject, body)
    }

    /// An e-mail to `to`: plain text, Vietnamese then English, ending with where to change
    /// how one is told.
    fn message(
        &self,
        smtp: &SmtpSettings,
        to: &str,
        subject: &str,
        text: &str,
    ) -> Result<Message, String> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| format!("địa chỉ không hợp lệ (invalid address): {e}"))?;
        let body = format!(
            "{text}\n\n-- \nTrung tâm chỉ đạo, điều hành (dieuhanh). \
             Chọn cách nhận thông báo tại trang tài khoản (choose how you are told on your account page): {}/account\n",
            self.public
        );
        Message::builder()
            .from(smtp.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())
    }
}

/// Whether a permanent refusal speaks of the centre's own settings rather than of the person's
/// address: authentication required (530), too weak (534) or refused (535), encryption required
/// (538). Once the administrator mends the setting the mail should still go, so it waits and
/// is tried again instead of failing for good.
fn ours(code: u16) -> bool {
    matches!(code, 530 | 534 | 535 | 538)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_refused_password_waits_and_a_refused_address_fails() {
        assert!(super::ours(535) && super::ours(530));
        assert!(!super::ours(550) && !super::ours(553));
    }
}
