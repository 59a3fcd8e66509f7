/// <summary>The inputs and outputs of one epoch: one record of hyperparameters, one of subnet state, one of results.
/// Every value the epoch reads is here; nothing is read from anywhere else.</summary>
/// <remarks>Contract: <c>shared/notes/yuma-epoch.md</c> sections 2–4; source: <c>epoch_mechanism</c> in
/// <c>pallets/subtensor/src/epoch/run_epoch.rs</c>.</remarks>
namespace Bittensor.Spec.Yuma

/// One stored cell of a weight or bond row: the target uid and its u16 value, as the chain stores
/// <c>Weights</c> and <c>Bonds</c> (rows keep the order in which they were written).
[<Struct>]
type StoredEntry = { Uid: int; Value: uint16 }

/// <summary>Which chain's rules to follow (<c>shared/notes/yuma-epoch.md</c> §0).</summary>
type Era =
    /// The chain since 2026-05: the stateful epoch scheduler, the activity cutoff factor, subnet-owner handling, and
    /// no rank, trust or pruning scores (rank and trust read 0, pruning scores 65535).
    | Current
    /// Chains before 2025-10: rank, trust and pruning scores are computed; the activity cutoff is the stored
    /// <c>ActivityCutoff</c> in blocks; an epoch fires when <c>(b + netuid + 1) mod (τ + 1) = 0</c>; no subnet-owner
    /// exemptions; bonds are measured from b − τ.
    | Before2025_10

/// The subnet's hyperparameters that the epoch reads.
type Hyperparameters =
    { /// Which chain's rules apply.
      Era: Era
      /// Activity cutoff in blocks for <see cref="F:Bittensor.Spec.Yuma.Era.Before2025_10"/> (<c>ActivityCutoff</c>,
      /// default 5000); unused by the current chain.
      ActivityCutoff: uint16
      /// τ, blocks between epochs (<c>Tempo</c>).
      Tempo: uint16
      /// Activity cutoff = max(⌊factor · τ / 1000⌋, 1) blocks (<c>ActivityCutoffFactorMilli</c>, default 13 889).
      ActivityCutoffFactorMilli: uint64
      /// κ · 65535, the consensus majority (<c>Kappa</c>, default 32767).
      Kappa: uint16
      /// β · 65535, how far bonds follow clipped rather than raw weights (<c>BondsPenalty</c>, default 65535).
      BondsPenalty: uint16
      /// Bonds EMA memory per million (<c>BondsMovingAverage</c>, default 900 000, so α = 0.1).
      BondsMovingAverage: uint64
      /// K, the number of validator permits (<c>MaxAllowedValidators</c>).
      MaxAllowedValidators: uint16
      /// Minimum whole stake to count as stake at all (<c>StakeThreshold</c>, global; the owner is exempt).
      StakeThreshold: uint64
      /// Share of root TAO stake counted as stake, per 2^64 − 1 (<c>TaoWeight</c>).
      TaoWeight: uint64
      /// Yuma 3 bonds (<c>Yuma3On</c>); false selects the original Yuma bonds.
      Yuma3: bool
      /// Liquid alpha (<c>LiquidAlphaOn</c>; Yuma 3 only).
      LiquidAlpha: bool
      /// Liquid alpha bounds, each · 65535 (<c>AlphaValues</c>, default (45875, 58982)).
      AlphaLow: uint16
      AlphaHigh: uint16
      /// Liquid alpha sigmoid steepness (<c>AlphaSigmoidSteepness</c>, default 1000).
      AlphaSigmoidSteepness: int16
      /// Commit-reveal weights (<c>CommitRevealWeightsEnabled</c>).
      CommitReveal: bool }

/// The subnet state one epoch reads (all vectors are indexed by uid).
type EpochState =
    { /// n, the number of uids (<c>SubnetworkN</c>). Every uid below n is registered.
      N: int
      /// b, the current block.
      Block: uint64
      /// Block of each uid's last weight update (<c>LastUpdate</c>); padded with 0 up to n, never truncated.
      LastUpdate: uint64[]
      /// Block at which each uid was last registered (<c>BlockAtRegistration</c>); missing reads as 0.
      BlockAtRegistration: uint64[]
      /// α_i, each uid's inherited alpha stake in rao.
      AlphaStake: uint64[]
      /// t_i, each uid's inherited root TAO stake in rao.
      TaoStake: uint64[]
      /// The uid of the subnet owner's hotkey, if registered.
      OwnerUid: int option
      /// Validator permits as stored by the previous epoch (<c>ValidatorPermit</c>; may be shorter than n).
      ValidatorPermits: bool[]
      /// Weight rows as stored (<c>Weights</c>): u16 values, submission order.
      Weights: StoredEntry[][]
      /// Bond rows as stored by the previous epoch (<c>Bonds</c>).
      Bonds: StoredEntry[][]
      /// With commit-reveal: the earliest block among each uid's unexpired weight commits, u64::MAX for none.
      CommitBlocks: uint64[]
      /// Block of the last mechanism step (<c>LastMechansimStepBlock</c>, sic); 0 = never.
      LastMechanismStepBlock: uint64
      /// Alpha (rao) handed to this epoch to distribute.
      RaoEmission: uint64 }

open Bittensor.Spec.Fixed
open Bittensor.Spec.Math

/// The named intermediate values of an epoch, in the order they are computed (for auditors, per-step vectors and
/// diffs). All I32F32 unless noted.
type EpochTrace =
    { Inactive: bool[]
      /// Stake after the threshold filter, normalised in I64F64 and floored to I32F32.
      Stake: I32F32[]
      ValidatorPermits: bool[]
      ActiveStake: I32F32[]
      Weights: Sparse.Matrix
      Consensus: I32F32[]
      ClippedWeights: Sparse.Matrix
      ValidatorTrust: I32F32[]
      Incentive: I32F32[]
      WeightsForBonds: Sparse.Matrix
      /// The EMA bonds as computed (Yuma 3: un-normalised; original: column-normalised).
      EmaBonds: Sparse.Matrix
      Dividends: I32F32[]
      NormalizedServerEmission: I32F32[]
      NormalizedValidatorEmission: I32F32[]
      NormalizedCombinedEmission: I32F32[] }

/// What one epoch produces, per uid (length n).
type EpochOutput =
    { Active: bool[]
      /// u16 of the normalised, threshold-filtered stake (<c>StakeWeight</c>).
      StakeWeight: uint16[]
      Consensus: uint16[]
      Incentive: uint16[]
      Dividends: uint16[]
      ValidatorTrust: uint16[]
      /// Alpha paid to each uid as a miner (rao).
      ServerEmission: uint64[]
      /// Each uid's validator share (rao; the coinbase only uses these as proportions).
      ValidatorEmission: uint64[]
      /// Combined emission (rao), stored as <c>Emission</c> and used for pruning.
      Emission: uint64[]
      NewValidatorPermits: bool[]
      /// Before 2025-10: rank, = incentive in u16; now always 0.
      Rank: uint16[]
      /// Before 2025-10: trust, the share of each miner's support that survived clipping (clipped ranks over unclipped
      /// ranks); now always 0.
      Trust: uint16[]
      /// Before 2025-10: pruning scores, the combined emission max-upscaled to u16; now always 65535.
      PruningScore: uint16[]
      /// The bond row written for each uid: the EMA row in u16 for uids with a new permit, empty otherwise.
      Bonds: StoredEntry[][]
      /// ⌊total stake⌋ before the threshold filter.
      Stake: uint64[]
      Trace: EpochTrace }
