/// <summary>The state of one subnet as the chain keeps it, the operations (extrinsics) that change it, and the named
/// errors that reject them.</summary>
/// <remarks>Contract: <c>shared/notes/yuma-epoch.md</c> §7–9 and <c>shared/notes/bittensor-protocol.md</c> §4; source:
/// <c>pallets/subtensor/src/subnets/{registration,weights,serving}.rs</c>, <c>staking/</c>, <c>coinbase/</c>.
/// One incentive mechanism per subnet (mechanism 0).</remarks>
namespace Bittensor.Spec.Subnet

open System.Numerics
open Bittensor.Spec.Yuma

/// <summary>An account: a 32-byte public key, written as 0x-prefixed lowercase hex (64 hex digits).</summary>
[<Struct>]
type AccountId =
    | AccountId of string
    member a.Hex = let (AccountId h) = a in h

/// <summary>Where a neuron serves (<c>AxonInfo</c>). <c>Ip</c> is the address as an integer (IPv4 in the low 32
/// bits); <c>IpType</c> is 4 or 6; <c>Block</c> is when it was last served.</summary>
type AxonInfo =
    { Block: uint64; Version: uint32; Ip: BigInteger; Port: uint16; IpType: byte; Protocol: byte; Placeholder1: byte; Placeholder2: byte }

/// <summary>One registered neuron (a uid). The epoch's results are stored back here.</summary>
type Neuron =
    { Hotkey: AccountId
      Coldkey: AccountId
      RegistrationBlock: uint64
      LastUpdate: uint64
      /// Stored weights, (uid, u16) in submission order.
      Weights: StoredEntry[]
      Bonds: StoredEntry[]
      Axon: AxonInfo option
      ValidatorPermit: bool
      Active: bool
      StakeWeight: uint16
      Consensus: uint16
      Incentive: uint16
      Dividends: uint16
      ValidatorTrust: uint16
      /// The last epoch's combined emission (rao): what pruning ranks by.
      Emission: uint64 }

/// <summary>A commit-reveal (v2) weight commitment: the hash, the epoch index and the block it was made in.</summary>
type WeightCommit = { Hash: byte[]; CommitEpoch: uint64; CommitBlock: uint64 }

/// <summary>The subnet's parameters beyond those the epoch reads.</summary>
type SubnetParameters =
    { Epoch: Hyperparameters
      /// Registration appends uids up to this many, then replaces the pruned one (<c>MaxAllowedUids</c>).
      MaxAllowedUids: int
      /// Blocks after registration during which a uid is immune to pruning (<c>ImmunityPeriod</c>).
      ImmunityPeriod: uint64
      /// Pruning prefers non-immune uids only while there are more than this many (<c>MinNonImmuneUids</c>).
      MinNonImmuneUids: int
      /// Up to this many of the owner coldkey's hotkeys (oldest first) are never pruned (<c>ImmuneOwnerUidsLimit</c>).
      ImmuneOwnerUidsLimit: int
      /// Blocks between two weight settings (or commits) of one uid (<c>WeightsSetRateLimit</c>).
      WeightsRateLimit: uint64
      /// Fewest weights a validator may set (<c>MinAllowedWeights</c>; capped by n).
      MinAllowedWeights: int
      /// A weight submission must carry at least this version key, unless it is 0 (<c>WeightsVersionKey</c>).
      WeightsVersionKey: uint64
      /// Largest normalised weight allowed, · 65535; 65535 disables the check (<c>MaxWeightLimit</c>).
      MaxWeightLimit: uint16
      /// Stake a hotkey needs to set weights (<c>WeightsMinStake</c>).
      WeightsMinStake: uint64
      /// Epochs after its commit at which a commitment must be revealed (<c>RevealPeriodEpochs</c>).
      RevealPeriodEpochs: uint64
      /// Most unrevealed commitments per hotkey.
      MaxUnrevealedCommits: int
      /// Registration cost in rao, burned from the coldkey (<c>Burn</c>); moved every adjustment interval.
      Burn: uint64
      /// The burn never adjusts below this (<c>MinBurn</c>) …
      MinBurn: uint64
      /// … nor above this (<c>MaxBurn</c>).
      MaxBurn: uint64
      /// Blocks between two burn adjustments (<c>AdjustmentInterval</c>).
      AdjustmentInterval: uint16
      /// Registrations per interval the burn adjustment aims at (<c>TargetRegistrationsPerInterval</c>; at least 1).
      TargetRegistrationsPerInterval: uint16
      /// How much of the old burn an adjustment keeps, · (2^64 − 1) (<c>AdjustmentAlpha</c>; 0 jumps to the target).
      AdjustmentAlpha: uint64
      /// Most registrations in one block (<c>MaxRegistrationsPerBlock</c>).
      MaxRegistrationsPerBlock: int
      /// Smallest stake or unstake amount in rao.
      MinStake: uint64
      /// Blocks between two axon updates of one hotkey; 0 disables (<c>ServingRateLimit</c>).
      ServingRateLimit: uint64
      /// Alpha (rao) emitted into the subnet each block.
      AlphaEmissionPerBlock: uint64
      /// The owner's share of each block's alpha, · 65535 (<c>SubnetOwnerCut</c>).
      SubnetOwnerCut: uint16
      /// Epochs run at the latest when this many blocks passed without one (<c>MAX_TEMPO</c> safety net).
      MaxTempo: uint64 }

/// <summary>One subnet and the accounts that act on it.</summary>
type SubnetState =
    { Netuid: uint16
      OwnerColdkey: AccountId
      OwnerHotkey: AccountId
      Parameters: SubnetParameters
      /// Neurons by uid.
      Neurons: Neuron[]
      /// Alpha stake in rao by (hotkey, coldkey). A hotkey's stake is the sum over its coldkeys.
      Stake: Map<AccountId * AccountId, uint64>
      /// Free TAO balance in rao by coldkey.
      Balances: Map<AccountId, uint64>
      /// The current block.
      Block: uint64
      RegistrationsThisBlock: int
      /// The burn adjustment's counters (<c>LastAdjustmentBlock</c>, <c>RegistrationsThisInterval</c>,
      /// <c>BurnRegistrationsThisInterval</c>). Every registration here is burned, so the two counts are equal; the
      /// chain keeps both because proof-of-work registrations count in the first only.
      LastAdjustmentBlock: uint64
      RegistrationsThisInterval: uint16
      BurnRegistrationsThisInterval: uint16
      /// The epoch scheduler (<c>LastEpochBlock</c>, <c>PendingEpochAt</c>, <c>BlocksSinceLastStep</c>,
      /// <c>SubnetEpochIndex</c>, <c>LastMechansimStepBlock</c>).
      LastEpochBlock: uint64
      PendingEpochAt: uint64
      BlocksSinceLastStep: uint64
      EpochIndex: uint64
      LastMechanismStepBlock: uint64
      /// Emission accumulated since the last epoch (rao).
      PendingServerEmission: uint64
      PendingValidatorEmission: uint64
      PendingOwnerCut: uint64
      /// Unrevealed weight commitments per hotkey, oldest first.
      WeightCommits: Map<AccountId, WeightCommit list> }

/// <summary>The operations a chain applies to a subnet (the extrinsics), each signed by the account named first.</summary>
type Operation =
    /// Burned registration of a hotkey, paid by its coldkey (<c>burned_register</c>).
    | Register of coldkey: AccountId * hotkey: AccountId
    /// Announce where the hotkey serves (<c>serve_axon</c>); the block is filled in by the chain.
    | ServeAxon of hotkey: AccountId * version: uint32 * ip: BigInteger * port: uint16 * ipType: byte * protocol: byte
    /// Set weights directly (<c>set_weights</c>).
    | SetWeights of hotkey: AccountId * uids: uint16[] * values: uint16[] * versionKey: uint64
    /// Commit to weights (<c>commit_weights</c>, commit-reveal v2).
    | CommitWeights of hotkey: AccountId * hash: byte[]
    /// Reveal committed weights (<c>reveal_weights</c>).
    | RevealWeights of hotkey: AccountId * uids: uint16[] * values: uint16[] * salt: uint16[] * versionKey: uint64
    /// Stake free TAO on a hotkey (<c>add_stake</c>; this subnet's alpha is priced 1:1, the stable mechanism).
    | AddStake of coldkey: AccountId * hotkey: AccountId * amount: uint64
    /// Unstake back to free TAO (<c>remove_stake</c>).
    | RemoveStake of coldkey: AccountId * hotkey: AccountId * amount: uint64

/// <summary>Why an operation was rejected, named as the chain names the error. A rejected operation leaves the state
/// unchanged.</summary>
type SubnetError =
    | HotKeyAlreadyRegisteredInSubNet
    | NotEnoughBalanceToStake
    | TooManyRegistrationsThisBlock
    | NoNeuronIdAvailable
    | HotKeyNotRegisteredInSubNet
    | InvalidIpType
    | InvalidIpAddress
    | ServingRateLimitExceeded
    | CommitRevealEnabled
    | CommitRevealDisabled
    | WeightVecNotEqualSize
    | UidsLengthExceedUidsInSubNet
    | NotEnoughStakeToSetWeights
    | IncorrectWeightVersionKey
    | SettingWeightsTooFast
    | NeuronNoValidatorPermit
    | DuplicateUids
    | UidVecContainInvalidOne
    | WeightVecLengthIsLow
    | MaxWeightExceeded
    | CommittingWeightsTooFast
    | TooManyUnrevealedCommits
    | NoWeightsCommitFound
    | RevealTooEarly
    | ExpiredWeightCommit
    | InvalidRevealCommitHashNotMatch
    | AmountTooLow
    | NotEnoughStakeToWithdraw
    | HotKeyAccountNotExists
