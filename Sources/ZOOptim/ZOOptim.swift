/// ZOOptim: every optimizer of the seeds behind one protocol — the zeroth-order family
/// (MeZO and variants, HiZOO, HiZOO-L, Sparse MeZO, SubZero, BCD / B-PDF) and first-order
/// baselines — plus the run driver and the learning-rate search.
public enum ZOOptimInfo {}
