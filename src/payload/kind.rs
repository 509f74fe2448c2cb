//! The kinds of health pass (re-exported at the crate root).

/// What a pass attests: the kind of its health entry, or that it carries
/// none (a light pass).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PassKind {
    /// Vaccination (`v`).
    Vaccination,
    /// Test result (`t`).
    Test,
    /// Recovery (`r`).
    Recovery,
    /// Medical exemption (`e`). No extended key usage names it: only a
    /// signer without a pass-kind restriction may sign one.
    Exemption,
    /// Light pass (`LT1:`, no health data). No extended key usage names it:
    /// only a signer without a pass-kind restriction may sign one.
    Light,
}

impl PassKind {
    /// `"vaccination"`, `"test"`, `"recovery"`, `"exemption"` or `"light"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PassKind::Vaccination => "vaccination",
            PassKind::Test => "test",
            PassKind::Recovery => "recovery",
            PassKind::Exemption => "exemption",
            PassKind::Light => "light",
        }
    }
}
