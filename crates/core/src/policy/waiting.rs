//! A ticket waiting for the customer (Pending) and the rules that close it without an answer:
//! a time rule (DDEV 72 h, 001_9dfcd67ee301683f.txt; Code42 7 days, 004_c150f22dbee80e04.txt)
//! and a contact-attempt rule (Druva, 000_0e4e71a8972bb245.txt: closed "if Druva support team
//! does not hear back from the customer after three attempts to contact during a ten day
//! period"). A policy sets either, both (whichever closes first) or neither.
//!
//! An attempt to contact is the move to Pending (support asked the customer something) and every
//! public agent reply while the ticket waits. A customer reply ends the wait, and with it the
//! count.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Lifecycle, Minutes};

/// The contact-attempt rule: a waiting ticket closes once `attempts` attempts fell within one
/// period of `within`, at the end of that period (the customer has the rest of it to answer the
/// last one).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactAttempts {
    pub attempts: u32,
    pub within: Minutes,
}

impl ContactAttempts {
    /// When `attempts` (oldest first) close the ticket: the end of the first period of `within`
    /// that begins at an attempt and holds the required number.
    pub fn closes_at(&self, attempts: &[DateTime<Utc>]) -> Option<DateTime<Utc>> {
        let required = usize::try_from(self.attempts.max(1)).ok()?;
        let within = self.within.as_chrono();
        attempts
            .windows(required)
            .find(|period| period[required - 1] - period[0] <= within)
            .map(|period| period[0] + within)
    }

    /// How the count stands at `now`: every attempt once a period holds enough, otherwise the
    /// attempts of the last `within` (older ones can no longer share a period with the next).
    fn count(&self, attempts: &[DateTime<Utc>], now: DateTime<Utc>) -> ContactAttemptCount {
        let made = if self.closes_at(attempts).is_some() {
            self.attempts
        } else {
            let recent = attempts
                .iter()
                .filter(|&&at| now - at < self.within.as_chrono())
                .count();
            u32::try_from(recent).unwrap_or(u32::MAX)
        };
        ContactAttemptCount {
            made,
            required: self.attempts,
            within: self.within,
        }
    }
}

/// Which rule closed a waiting ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingRule {
    Time,
    ContactAttempts,
}

/// While a ticket waits for the customer: what closes it without an answer, as the ticket page
/// shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingForAnswer {
    /// When the ticket closes without an answer, once the policy's rules fix a time.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closes_at: Option<DateTime<Utc>>,
    /// How the contact-attempt rule's count stands, when the policy has the rule.
    pub contact_attempts: Option<ContactAttemptCount>,
}

/// "We have tried to reach you 2 of 3 times."
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactAttemptCount {
    pub made: u32,
    pub required: u32,
    pub within: Minutes,
}

impl ContactAttemptCount {
    /// The sentence of the ticket page and of the reply mails while the ticket waits.
    pub fn sentence(&self) -> String {
        let ContactAttemptCount {
            made,
            required,
            within,
        } = self;
        format!(
            "We have tried to reach you {made} of {required} times. After {required} attempts \
             within {} without an answer, the ticket closes.",
            within.wall_clock_text()
        )
    }
}

/// The attempts to contact of a ticket Pending since `pending_since`, oldest first: the move
/// to Pending and the public agent replies after it.
pub fn contact_attempts(
    pending_since: DateTime<Utc>,
    later_agent_replies: &[DateTime<Utc>],
) -> Vec<DateTime<Utc>> {
    let mut attempts = Vec::with_capacity(later_agent_replies.len() + 1);
    attempts.push(pending_since);
    attempts.extend(later_agent_replies.iter().filter(|&&at| at > pending_since));
    attempts.sort_unstable();
    attempts
}

impl Lifecycle {
    /// When a ticket Pending since `pending_since`, with `attempts` ([`contact_attempts`]),
    /// closes without an answer, and by which rule; `None` while no rule fixes a time.
    pub fn pending_closes_at(
        &self,
        pending_since: DateTime<Utc>,
        attempts: &[DateTime<Utc>],
    ) -> Option<(DateTime<Utc>, PendingRule)> {
        let by_time = self
            .pending_auto_close
            .map(|after| (pending_since + after.as_chrono(), PendingRule::Time));
        let by_attempts = self
            .contact_attempts
            .and_then(|rule| rule.closes_at(attempts))
            .map(|at| (at, PendingRule::ContactAttempts));
        [by_time, by_attempts]
            .into_iter()
            .flatten()
            .min_by_key(|(at, _)| *at)
    }

    /// The shortest wait after which a rule can close a Pending ticket: no ticket Pending for
    /// less can close (each attempt period begins at or after the move to Pending).
    pub fn shortest_pending_wait(&self) -> Option<Minutes> {
        let by_attempts = self.contact_attempts.map(|rule| rule.within);
        [self.pending_auto_close, by_attempts]
            .into_iter()
            .flatten()
            .min()
    }

    /// What the ticket page shows while a ticket waits for the customer.
    pub fn waiting_for_answer(
        &self,
        pending_since: DateTime<Utc>,
        attempts: &[DateTime<Utc>],
        now: DateTime<Utc>,
    ) -> WaitingForAnswer {
        WaitingForAnswer {
            closes_at: self
                .pending_closes_at(pending_since, attempts)
                .map(|(at, _)| at),
            contact_attempts: self.contact_attempts.map(|rule| rule.count(attempts, now)),
        }
    }

    /// The rules in a sentence, for the mail that tells the customer support waits for them;
    /// `None` when nothing closes a waiting ticket.
    pub fn pending_rules_text(&self) -> Option<String> {
        let attempts = self.contact_attempts.map(|rule| {
            format!(
                "we have tried to reach you {} times within {}",
                rule.attempts,
                rule.within.wall_clock_text()
            )
        });
        match (self.pending_auto_close, attempts) {
            (None, None) => None,
            (Some(after), None) => Some(format!(
                "Without an answer, the ticket closes after {}.",
                after.wall_clock_text()
            )),
            (None, Some(attempts)) => Some(format!(
                "Without an answer, the ticket closes once {attempts}."
            )),
            (Some(after), Some(attempts)) => Some(format!(
                "Without an answer, the ticket closes after {}, or sooner once {attempts}.",
                after.wall_clock_text()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn day(days: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::days(days)
    }

    const DRUVA: ContactAttempts = ContactAttempts {
        attempts: 3,
        within: Minutes(10 * 24 * 60),
    };

    fn lifecycle(
        pending_auto_close: Option<Minutes>,
        contact_attempts: Option<ContactAttempts>,
    ) -> Lifecycle {
        Lifecycle {
            pending_auto_close,
            contact_attempts,
            solved_auto_close: Minutes(2 * 24 * 60),
            reopen_window: Minutes(2 * 24 * 60),
        }
    }

    #[test]
    fn three_attempts_within_ten_days_close_at_the_end_of_the_ten_days() {
        assert_eq!(DRUVA.closes_at(&[day(0), day(3), day(6)]), Some(day(10)));
        // The third attempt on the period's last instant still counts.
        assert_eq!(DRUVA.closes_at(&[day(0), day(3), day(10)]), Some(day(10)));
    }

    #[test]
    fn attempts_spread_over_more_than_the_period_do_not_close_until_a_period_holds_enough() {
        let late_third = [day(0), day(3), day(10) + Duration::minutes(1)];
        assert_eq!(DRUVA.closes_at(&late_third), None);
        assert_eq!(DRUVA.closes_at(&[day(0), day(3)]), None);
        assert_eq!(DRUVA.closes_at(&[]), None);
        // A fourth attempt makes a later period of three: it ends ten days after the second.
        let fourth = [day(0), day(3), day(11), day(12)];
        assert_eq!(DRUVA.closes_at(&fourth), Some(day(13)));
    }

    #[test]
    fn the_count_is_of_the_last_period_and_complete_once_a_period_holds_enough() {
        let rule = lifecycle(None, Some(DRUVA));
        let count = |attempts: &[DateTime<Utc>], now| {
            rule.waiting_for_answer(attempts[0], attempts, now)
                .contact_attempts
                .map(|count| count.made)
        };
        assert_eq!(count(&[day(0)], day(1)), Some(1));
        assert_eq!(count(&[day(0), day(3)], day(4)), Some(2));
        // Ten days after the first attempt it can no longer share a period with the next.
        assert_eq!(count(&[day(0), day(3)], day(10)), Some(1));
        assert_eq!(count(&[day(0), day(3), day(6)], day(7)), Some(3));
    }

    #[test]
    fn the_move_to_pending_is_the_first_attempt_and_earlier_replies_do_not_count() {
        let replies = [day(-1), day(0), day(2), day(1)];
        assert_eq!(
            contact_attempts(day(0), &replies),
            vec![day(0), day(1), day(2)]
        );
    }

    #[test]
    fn whichever_rule_closes_first_decides() {
        let attempts = [day(0), day(1), day(2)];
        let both = lifecycle(Some(Minutes(14 * 24 * 60)), Some(DRUVA));
        assert_eq!(
            both.pending_closes_at(day(0), &attempts),
            Some((day(10), PendingRule::ContactAttempts))
        );
        assert_eq!(
            both.pending_closes_at(day(0), &attempts[..2]),
            Some((day(14), PendingRule::Time))
        );
        let time_only = lifecycle(Some(Minutes(7 * 24 * 60)), None);
        assert_eq!(
            time_only.pending_closes_at(day(0), &attempts),
            Some((day(7), PendingRule::Time))
        );
        assert_eq!(
            lifecycle(None, None).pending_closes_at(day(0), &attempts),
            None
        );
        assert_eq!(
            lifecycle(None, Some(DRUVA)).pending_closes_at(day(0), &attempts[..2]),
            None
        );
    }

    #[test]
    fn the_shortest_wait_is_the_shorter_rule() {
        let both = lifecycle(Some(Minutes(14 * 24 * 60)), Some(DRUVA));
        assert_eq!(both.shortest_pending_wait(), Some(DRUVA.within));
        assert_eq!(lifecycle(None, None).shortest_pending_wait(), None);
    }

    #[test]
    fn the_texts_name_the_rules_in_days() {
        let count = ContactAttemptCount {
            made: 2,
            required: 3,
            within: DRUVA.within,
        };
        assert_eq!(
            count.sentence(),
            "We have tried to reach you 2 of 3 times. After 3 attempts within 10 days without an \
             answer, the ticket closes."
        );
        let rules = |time, attempts| lifecycle(time, attempts).pending_rules_text();
        assert_eq!(
            rules(Some(Minutes(72 * 60)), None).as_deref(),
            Some("Without an answer, the ticket closes after 3 days.")
        );
        assert_eq!(
            rules(None, Some(DRUVA)).as_deref(),
            Some(
                "Without an answer, the ticket closes once we have tried to reach you 3 times \
                 within 10 days."
            )
        );
        assert_eq!(
            rules(Some(Minutes(14 * 24 * 60)), Some(DRUVA)).as_deref(),
            Some(
                "Without an answer, the ticket closes after 14 days, or sooner once we have \
                 tried to reach you 3 times within 10 days."
            )
        );
        assert_eq!(rules(None, None), None);
    }
}
