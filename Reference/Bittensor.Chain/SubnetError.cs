namespace Bittensor.Chain;

/// <summary>Why a subnet operation was rejected, named as the chain (and the spec's <c>SubnetError</c>) names it. A
/// rejected operation changes nothing.</summary>
public enum SubnetError
{
    HotKeyAlreadyRegisteredInSubNet,
    NotEnoughBalanceToStake,
    TooManyRegistrationsThisBlock,
    NoNeuronIdAvailable,
    HotKeyNotRegisteredInSubNet,
    InvalidIpType,
    InvalidIpAddress,
    ServingRateLimitExceeded,
    CommitRevealEnabled,
    CommitRevealDisabled,
    WeightVecNotEqualSize,
    UidsLengthExceedUidsInSubNet,
    NotEnoughStakeToSetWeights,
    IncorrectWeightVersionKey,
    SettingWeightsTooFast,
    NeuronNoValidatorPermit,
    DuplicateUids,
    UidVecContainInvalidOne,
    WeightVecLengthIsLow,
    MaxWeightExceeded,
    CommittingWeightsTooFast,
    TooManyUnrevealedCommits,
    NoWeightsCommitFound,
    RevealTooEarly,
    ExpiredWeightCommit,
    InvalidRevealCommitHashNotMatch,
    AmountTooLow,
    NotEnoughStakeToWithdraw,
    HotKeyAccountNotExists,
    // Chain-level errors beyond the spec's single subnet:
    /// <summary>No subnet with that netuid.</summary>
    SubnetNotExists,
    /// <summary>Only the subnet's owner coldkey may change its parameters.</summary>
    NotSubnetOwner,
    /// <summary>A parameter value outside what the chain accepts (named in the message).</summary>
    InvalidParameterValue,
    /// <summary>The signer cannot pay for a transfer or a subnet's lock cost.</summary>
    InsufficientBalance,
    /// <summary>All 65 535 netuids are taken.</summary>
    TooManySubnets,
}
