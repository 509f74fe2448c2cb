//! `healthpass sync`: brings a store directory up to date from the sources
//! named, one line (or one JSON object) per source; exit 0 when every
//! source is up to date, 1 when one failed (its previous state kept).
//! Also the store side of `verify --store`.

use crate::args::{StoreExportArgs, SyncArgs};
use crate::error::{CliError, CliResult};

#[cfg(not(feature = "sync"))]
pub(crate) fn run(_: &SyncArgs) -> CliResult {
    Err(no_sync())
}

#[cfg(not(feature = "sync"))]
pub(crate) fn export(_: &StoreExportArgs) -> CliResult {
    Err(no_sync())
}

/// The error of a build without the `sync` feature.
#[cfg(not(feature = "sync"))]
pub(crate) fn no_sync() -> CliError {
    CliError::usage(
        "sync and verify --store: this build lacks the sync feature \
         (cargo build -p healthpass-cli --features sync)",
    )
}

#[cfg(feature = "sync")]
pub(crate) use with_sync::{export, run, store_verifier};

#[cfg(feature = "sync")]
mod with_sync {
    use healthpass::{UnixTime, Verifier};
    use healthpass_sync::{HttpTransport, Retry, Source, SourceReport, Store};

    use super::{CliError, CliResult, StoreExportArgs, SyncArgs};
    use crate::args::VerifyArgs;
    use crate::error::Done;
    use crate::io::read_file;
    use crate::load;

    /// The default allowance of `verify --store`: 72 hours.
    const DEFAULT_MAX_AGE: u64 = 72 * 3600;

    fn unsupported(flag: &str) -> CliError {
        CliError::usage(format!("{flag}: this version cannot sync that source yet"))
    }

    pub(crate) fn run(args: &SyncArgs) -> CliResult {
        for (given, flag) in [
            (args.eu_revocation.is_some(), "--eu-revocation"),
            (!args.pin.is_empty(), "--pin"),
        ] {
            if given {
                return Err(unsupported(flag));
            }
        }
        let mut sources = Vec::new();
        if let Some(url) = &args.eu_dcc {
            sources.push(Source::EuDcc { url: url.clone() });
        }
        if let (Some(url), Some(key)) = (&args.eu_rules, &args.eu_rules_key) {
            sources.push(Source::EuRules {
                url: url.clone(),
                key: read_file(key)?,
            });
        }
        if let (Some(url), Some(cert)) = (&args.vci, &args.vci_cert) {
            sources.push(Source::Vci {
                url: url.clone(),
                certificate: read_file(cert)?,
            });
        }
        if let (Some(url), Some(signer)) = (&args.gdhcn, &args.gdhcn_signer) {
            #[cfg(feature = "gdhcn")]
            sources.push(Source::Gdhcn {
                url: url.clone(),
                signer: read_file(signer)?,
                domains: args.domain.clone(),
            });
            #[cfg(not(feature = "gdhcn"))]
            {
                let _ = (url, signer);
                return Err(load::no_gdhcn());
            }
        }
        if let (Some(url), Some(anchors)) = (&args.trust_list, &args.trust_anchor) {
            sources.push(Source::TrustList {
                url: url.clone(),
                anchors: read_file(anchors)?,
            });
        }
        if let (Some(url), Some(anchors)) = (&args.revocation, &args.revocation_trust) {
            sources.push(Source::Revocation {
                url: url.clone(),
                anchors: read_file(anchors)?,
            });
        }
        if sources.is_empty() {
            return Err(CliError::usage(
                "sync needs a source: --eu-dcc URL, --eu-rules URL --eu-rules-key PEM, \
                 --gdhcn URL --gdhcn-signer FILE, --vci URL --vci-cert PEM, \
                 --trust-list URL --trust-anchor PEM, or --revocation URL --revocation-trust PEM",
            ));
        }
        let now = args.at.unwrap_or_else(load::now);
        let transport = Retry::new(
            HttpTransport::default(),
            3,
            std::time::Duration::from_millis(500),
        );
        let store = Store::new(&args.store);
        let reports = store.sync(&sources, &transport, now);
        for report in &reports {
            for refused in &report.refused {
                eprintln!("{}: left out {refused}", report.source);
            }
            if let Some(skew) = report.clock_skew_secs {
                eprintln!(
                    "{}: the server's clock is {} s {} this machine's (more than 2 h)",
                    report.source,
                    skew.unsigned_abs(),
                    if skew > 0 { "ahead of" } else { "behind" }
                );
            }
            if args.json {
                let line =
                    serde_json::to_string(report).map_err(|e| CliError::usage(e.to_string()))?;
                out!("{line}");
            } else {
                out!("{}", sentence(report));
            }
        }
        Ok(if reports.iter().all(|r| r.ok) {
            Done::Ok
        } else {
            Done::Rejected
        })
    }

    pub(crate) fn export(args: &StoreExportArgs) -> CliResult {
        let signer = load::credential(&args.sign, &args.cert)?;
        let mut options = healthpass_sync::ExportOptions::default().list_id(args.list_id.clone());
        if let Some(d) = args.valid_for {
            options = options.valid_for_secs(d.as_secs());
        }
        let now = args.at.unwrap_or_else(load::now);
        let report = match Store::new(&args.store).export(&args.out, &signer, &options, now) {
            Ok(r) => r,
            // Refused (a list in OUT this key did not sign): exit 1.
            Err(e @ healthpass_sync::SyncError::Rejected(_)) => {
                eprintln!("healthpass: {e}");
                return Ok(Done::Rejected);
            }
            Err(e) => {
                return Err(CliError::usage(format!(
                    "store {}: {e}",
                    args.store.display()
                )))
            }
        };
        for left in &report.left_out {
            eprintln!("left out {left}");
        }
        for list in &report.lists {
            if args.json {
                let line =
                    serde_json::to_string(list).map_err(|e| CliError::usage(e.to_string()))?;
                out!("{line}");
            } else {
                out!(
                    "{}: {} sequence {}, {} entries, {} added, {} removed{}",
                    list.file,
                    list.list_id,
                    list.sequence,
                    list.entries,
                    list.added,
                    list.removed,
                    list.delta
                        .as_ref()
                        .map_or_else(String::new, |d| format!(", delta {d}"))
                );
            }
        }
        Ok(Done::Ok)
    }

    fn sentence(r: &SourceReport) -> String {
        match &r.error {
            None => format!(
                "{}: up to date, {} added, {} removed, {} unchanged",
                r.source, r.added, r.removed, r.unchanged
            ),
            Some(e) => format!("{}: failed, previous state kept: {e}", r.source),
        }
    }

    /// The verifier of `verify --store`: the store's signers and rules,
    /// every document verified again, and its age.
    pub(crate) fn store_verifier(
        args: &VerifyArgs,
        dir: &std::path::Path,
        now: UnixTime,
    ) -> Result<Verifier, CliError> {
        let snapshot = Store::new(dir)
            .snapshot(now)
            .map_err(|e| CliError::usage(format!("store {}: {e}", dir.display())))?;
        let mut builder = snapshot
            .verifier_builder(args.max_age.map_or(DEFAULT_MAX_AGE, |d| d.as_secs()))
            .clock_skew_secs(args.clock_skew)
            .accept_outdated_trust(args.stale_ok);
        if let Some(rules) = snapshot.rules() {
            let wanted = args.rules.rules.is_none()
                && args.rules.preset.is_none()
                && args.rules.country.is_some();
            if wanted {
                builder = builder
                    .rules(rules.clone())
                    .policy(load::policy(&args.rules));
            }
        }
        load::finish(builder, args, now)
    }
}
