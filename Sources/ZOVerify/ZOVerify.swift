/// ZOVerify: the theory checks of `zolab verify` — each claim an experiment with a verdict,
/// a negative control and a page in `proofs-checks/`.
public enum ZOVerifyInfo {}
