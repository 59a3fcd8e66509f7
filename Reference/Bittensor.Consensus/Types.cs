namespace Bittensor.Consensus;

/// <summary>Which chain's rules apply; mirrors the spec's <c>Era</c>.</summary>
public enum Era
{
    Current,
    Before2025_10,
}

/// <summary>One stored weight or bond cell: target uid and u16 value.</summary>
public readonly record struct StoredEntry(int Uid, ushort Value);

/// <summary>The hyperparameters the epoch reads; mirrors the spec's <c>Hyperparameters</c> field by field.</summary>
public sealed record Hyperparameters(
    Era Era,
    ushort ActivityCutoff,
    ushort Tempo,
    ulong ActivityCutoffFactorMilli,
    ushort Kappa,
    ushort BondsPenalty,
    ulong BondsMovingAverage,
    ushort MaxAllowedValidators,
    ulong StakeThreshold,
    ulong TaoWeight,
    bool Yuma3,
    bool LiquidAlpha,
    ushort AlphaLow,
    ushort AlphaHigh,
    short AlphaSigmoidSteepness,
    bool CommitReveal);

/// <summary>The subnet state one epoch reads; mirrors the spec's <c>EpochState</c>.</summary>
public sealed record EpochState(
    int N,
    ulong Block,
    ulong[] LastUpdate,
    ulong[] BlockAtRegistration,
    ulong[] AlphaStake,
    ulong[] TaoStake,
    int? OwnerUid,
    bool[] ValidatorPermits,
    StoredEntry[][] Weights,
    StoredEntry[][] Bonds,
    ulong[] CommitBlocks,
    ulong LastMechanismStepBlock,
    ulong RaoEmission);

/// <summary>What one epoch produces per uid; mirrors the spec's <c>EpochOutput</c> (without the trace).</summary>
public sealed record EpochOutput(
    bool[] Active,
    ushort[] StakeWeight,
    ushort[] Consensus,
    ushort[] Incentive,
    ushort[] Dividends,
    ushort[] ValidatorTrust,
    ulong[] ServerEmission,
    ulong[] ValidatorEmission,
    ulong[] Emission,
    bool[] NewValidatorPermits,
    ushort[] Rank,
    ushort[] Trust,
    ushort[] PruningScore,
    StoredEntry[][] Bonds,
    ulong[] Stake);
