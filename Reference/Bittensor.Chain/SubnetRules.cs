using Bittensor.Consensus;
using Bittensor.Identity;

namespace Bittensor.Chain;

/// <summary>
/// The subnet state machine: the Reference implementation of <c>Spec/Subnet/</c> (registration with pruning and the
/// burn adjustment, serving, weights with commit-reveal v2, staking, the block step with emission and the epoch, which
/// the Reference consensus computes). Every operation runs all its checks, in the chain's order, before it changes
/// anything, so a rejected one changes nothing. The scenario vectors hold it to the spec.
/// </summary>
public static class SubnetRules
{
    // ---- reading the state ----------------------------------------------------------------------------------------

    /// <summary>Immunity: <c>b − BlockAtRegistration &lt; ImmunityPeriod</c> (saturating).</summary>
    public static bool IsImmune(Subnet s, ulong block, Neuron n) => SaturatingSub(block, n.RegistrationBlock) < s.Parameters.ImmunityPeriod;

    /// <summary><c>should_run_epoch</c> (see the spec's <c>State.shouldRunEpoch</c>).</summary>
    public static bool ShouldRunEpoch(Subnet s, ulong block)
    {
        ulong tempo = s.Parameters.Epoch.Tempo;
        if (tempo == 0) return false;
        if (s.Parameters.Epoch.Era == Era.Before2025_10) return (block + s.Netuid + 1) % (tempo + 1) == 0;
        if (s.PendingEpochAt > 0 && block >= s.PendingEpochAt) return true;
        if (s.BlocksSinceLastStep > s.Parameters.MaxTempo) return true;
        return SaturatingSub(block, s.LastEpochBlock) >= tempo;
    }

    /// <summary>The epoch index commit-reveal measures time in: one more when an epoch is due but has not run.</summary>
    public static ulong CurrentEpoch(Subnet s, ulong block) => s.EpochIndex + (ShouldRunEpoch(s, block) ? 1UL : 0UL);

    public static bool IsCommitExpired(Subnet s, ulong currentEpoch, WeightCommit c) => currentEpoch > c.CommitEpoch + s.Parameters.RevealPeriodEpochs;

    /// <summary>A new, empty subnet at <paramref name="block"/>; <c>LastEpochBlock = b − (netuid mod max(τ, 1))</c>.</summary>
    public static Subnet Create(ushort netuid, AccountId ownerColdkey, AccountId ownerHotkey, SubnetParameters parameters, ulong block)
    {
        var offset = netuid % Math.Max((ulong)parameters.Epoch.Tempo, 1UL);
        return new Subnet { Netuid = netuid, OwnerColdkey = ownerColdkey, OwnerHotkey = ownerHotkey, Parameters = parameters, LastEpochBlock = SaturatingSub(block, offset) };
    }

    // ---- registration ---------------------------------------------------------------------------------------------

    /// <summary>The uids never pruned: the owner's hotkey, and up to <c>ImmuneOwnerUidsLimit</c> hotkeys of the owner's
    /// coldkey, oldest first (then lower uid).</summary>
    public static HashSet<int> OwnerImmortalUids(Subnet s)
    {
        var immortal = new HashSet<int>();
        if (s.UidOf(s.OwnerHotkey) is int ownerUid) immortal.Add(ownerUid);
        foreach (var uid in Enumerable.Range(0, s.Neurons.Count).Where(u => s.Neurons[u].Coldkey == s.OwnerColdkey)
                     .OrderBy(u => s.Neurons[u].RegistrationBlock).ThenBy(u => u).Take(s.Parameters.ImmuneOwnerUidsLimit))
            immortal.Add(uid);
        return immortal;
    }

    /// <summary><c>get_neuron_to_prune</c>: lowest emission, then earliest registration, then lowest uid; non-immune uids
    /// while there are more than <c>MinNonImmuneUids</c> of them, else the best immune one.</summary>
    public static int? NeuronToPrune(Subnet s, ulong block)
    {
        var immortal = OwnerImmortalUids(s);
        var candidates = Enumerable.Range(0, s.Neurons.Count).Where(u => !immortal.Contains(u)).ToList();
        var nonImmune = candidates.Where(u => !IsImmune(s, block, s.Neurons[u])).ToList();
        var immune = candidates.Where(u => IsImmune(s, block, s.Neurons[u])).ToList();
        int? Best(List<int> group) => group.Count == 0 ? null
            : group.OrderBy(u => s.Neurons[u].Emission).ThenBy(u => s.Neurons[u].RegistrationBlock).ThenBy(u => u).First();
        var nonImmuneCount = s.Neurons.Count(n => !IsImmune(s, block, n));
        if (nonImmuneCount > s.Parameters.MinNonImmuneUids && nonImmune.Count > 0) return Best(nonImmune);
        return Best(immune) ?? Best(nonImmune);
    }

    /// <summary><c>burned_register</c>: checks the per-block limit, that the hotkey is new, that the coldkey can pay the
    /// burn and that a uid is free or prunable; then burns, appends or replaces, and counts the registration.</summary>
    public static SubnetError? Register(ChainState chain, Subnet s, AccountId coldkey, AccountId hotkey)
    {
        var p = s.Parameters;
        if (s.RegistrationsThisBlock >= p.MaxRegistrationsPerBlock) return SubnetError.TooManyRegistrationsThisBlock;
        if (s.UidOf(hotkey) is not null) return SubnetError.HotKeyAlreadyRegisteredInSubNet;
        if (chain.Balance(coldkey) < p.Burn) return SubnetError.NotEnoughBalanceToStake;
        int? replaced = null;
        if (s.Neurons.Count >= p.MaxAllowedUids)
        {
            replaced = NeuronToPrune(s, chain.Block);
            if (replaced is null) return SubnetError.NoNeuronIdAvailable;
        }
        var fresh = new Neuron { Hotkey = hotkey, Coldkey = coldkey, RegistrationBlock = chain.Block, LastUpdate = chain.Block };
        if (replaced is int uid)
        {
            s.Neurons[uid] = fresh;
            // weights pointing to the replaced uid are zeroed but kept; bonds to it are left to the epoch's mask
            foreach (var other in s.Neurons)
                if (other != fresh && other.Weights.Any(e => e.Uid == uid))
                    other.Weights = other.Weights.Select(e => e.Uid == uid ? e with { Value = 0 } : e).ToArray();
        }
        else s.Neurons.Add(fresh);
        chain.SetBalance(coldkey, chain.Balance(coldkey) - p.Burn);
        s.RegistrationsThisBlock++;
        s.RegistrationsThisInterval = SaturatingIncrement(s.RegistrationsThisInterval);
        s.BurnRegistrationsThisInterval = SaturatingIncrement(s.BurnRegistrationsThisInterval);
        return null;
    }

    // ---- weights --------------------------------------------------------------------------------------------------

    public static bool IsSelfWeight(int uid, ushort[] uids, ushort[] values) => values.Length == 1 && uids.Length > 0 && uids[0] == uid;

    /// <summary>The checks and the store of <c>do_set_weights</c>, in the chain's order (the spec's
    /// <c>WeightSetting.apply</c>); <paramref name="recordedBlock"/> is the current block, or the commit block for a reveal.</summary>
    private static SubnetError? ApplyWeights(ChainState chain, Subnet s, AccountId hotkey, ushort[] uids, ushort[] values, ulong versionKey, ulong recordedBlock, Action? onSuccess = null)
    {
        var p = s.Parameters;
        var n = s.Neurons.Count;
        var commitReveal = p.Epoch.CommitReveal;
        if (uids.Length != values.Length) return SubnetError.WeightVecNotEqualSize;
        if (uids.Length > n) return SubnetError.UidsLengthExceedUidsInSubNet;
        if (s.UidOf(hotkey) is not int uid) return SubnetError.HotKeyNotRegisteredInSubNet;
        if (s.HotkeyStake(hotkey) < p.WeightsMinStake) return SubnetError.NotEnoughStakeToSetWeights;
        if (p.WeightsVersionKey != 0 && versionKey < p.WeightsVersionKey) return SubnetError.IncorrectWeightVersionKey;
        var neuron = s.Neurons[uid];
        var selfWeight = IsSelfWeight(uid, uids, values);
        if (!commitReveal && neuron.LastUpdate != 0 && recordedBlock - Math.Min(recordedBlock, neuron.LastUpdate) < p.WeightsRateLimit)
            return SubnetError.SettingWeightsTooFast;
        if (!selfWeight && !neuron.ValidatorPermit) return SubnetError.NeuronNoValidatorPermit;
        if (uids.Distinct().Count() != uids.Length) return SubnetError.DuplicateUids;
        if (uids.Any(u => u >= n)) return SubnetError.UidVecContainInvalidOne;
        if (!selfWeight && values.Length < Math.Min(p.MinAllowedWeights, n)) return SubnetError.WeightVecLengthIsLow;
        var stored = Conversions.VecU16MaxUpscaleToU16(values);
        if (!selfWeight && p.MaxWeightLimit != 65535 && !Conversions.CheckVecMaxLimited(stored, p.MaxWeightLimit)) return SubnetError.MaxWeightExceeded;
        neuron.Weights = uids.Select((u, i) => new StoredEntry(u, stored[i])).ToArray();
        if (!commitReveal) neuron.LastUpdate = recordedBlock;
        onSuccess?.Invoke();
        return null;
    }

    /// <summary><c>set_weights</c>: refused while commit-reveal is on.</summary>
    public static SubnetError? SetWeights(ChainState chain, Subnet s, AccountId hotkey, ushort[] uids, ushort[] values, ulong versionKey) =>
        s.Parameters.Epoch.CommitReveal ? SubnetError.CommitRevealEnabled : ApplyWeights(chain, s, hotkey, uids, values, versionKey, chain.Block);

    /// <summary>The v2 commitment: BLAKE2b-256 of SCALE(hotkey ‖ netuid u16 ‖ uids ‖ values ‖ salt ‖ version key u64).</summary>
    public static byte[] CommitHash(AccountId hotkey, ushort netuid, ushort[] uids, ushort[] values, ushort[] salt, ulong versionKey)
    {
        var w = new ScaleWriter().Fixed(hotkey.PublicKey).U16(netuid);
        foreach (var vector in new[] { uids, values, salt }) w.Vec(vector, (x, v) => x.U16(v));
        return Hashing.Blake2b256(w.U64(versionKey).ToArray());
    }

    /// <summary><c>commit_weights</c> (the spec's <c>WeightSetting.commit</c>).</summary>
    public static SubnetError? Commit(ChainState chain, Subnet s, AccountId hotkey, byte[] hash)
    {
        var p = s.Parameters;
        if (!p.Epoch.CommitReveal) return SubnetError.CommitRevealDisabled;
        if (s.UidOf(hotkey) is not int uid) return SubnetError.HotKeyNotRegisteredInSubNet;
        var neuron = s.Neurons[uid];
        var block = chain.Block;
        var epoch = CurrentEpoch(s, block);
        var pending = s.WeightCommits.GetValueOrDefault(hotkey, []).Where(c => !IsCommitExpired(s, epoch, c)).ToList();
        if (neuron.LastUpdate != 0 && block - Math.Min(block, neuron.LastUpdate) < p.WeightsRateLimit) return SubnetError.CommittingWeightsTooFast;
        if (pending.Count >= p.MaxUnrevealedCommits) return SubnetError.TooManyUnrevealedCommits;
        pending.Add(new WeightCommit(hash, epoch, block));
        s.WeightCommits[hotkey] = pending;
        neuron.LastUpdate = block;
        return null;
    }

    /// <summary><c>reveal_weights</c> (the spec's <c>WeightSetting.reveal</c>).</summary>
    public static SubnetError? Reveal(ChainState chain, Subnet s, AccountId hotkey, ushort[] uids, ushort[] values, ushort[] salt, ulong versionKey)
    {
        var epoch = CurrentEpoch(s, chain.Block);
        if (!s.Parameters.Epoch.CommitReveal) return SubnetError.CommitRevealDisabled;
        if (!s.WeightCommits.TryGetValue(hotkey, out var commits) || commits.Count == 0) return SubnetError.NoWeightsCommitFound;
        var provided = CommitHash(hotkey, s.Netuid, uids, values, salt, versionKey);
        var live = commits.Where(c => !IsCommitExpired(s, epoch, c)).ToList();
        var position = live.FindIndex(c => c.Hash.AsSpan().SequenceEqual(provided));
        if (position < 0)
            return commits.Any(c => IsCommitExpired(s, epoch, c) && c.Hash.AsSpan().SequenceEqual(provided))
                ? SubnetError.ExpiredWeightCommit : SubnetError.InvalidRevealCommitHashNotMatch;
        var commitment = live[position];
        if (epoch < commitment.CommitEpoch + s.Parameters.RevealPeriodEpochs) return SubnetError.RevealTooEarly;
        live.RemoveAt(position);
        return ApplyWeights(chain, s, hotkey, uids, values, versionKey, commitment.CommitBlock, () =>
        {
            if (live.Count == 0) s.WeightCommits.Remove(hotkey);
            else s.WeightCommits[hotkey] = live;
        });
    }

    // ---- staking and serving --------------------------------------------------------------------------------------

    /// <summary><c>add_stake</c> (stable mechanism, 1:1): amount ≥ <c>MinStake</c>, hotkey registered, balance covers it.</summary>
    public static SubnetError? AddStake(ChainState chain, Subnet s, AccountId coldkey, AccountId hotkey, ulong amount)
    {
        if (amount < s.Parameters.MinStake) return SubnetError.AmountTooLow;
        if (s.UidOf(hotkey) is null) return SubnetError.HotKeyAccountNotExists;
        if (chain.Balance(coldkey) < amount) return SubnetError.NotEnoughBalanceToStake;
        chain.SetBalance(coldkey, chain.Balance(coldkey) - amount);
        s.Stake[(hotkey, coldkey)] = checked(s.Stake.GetValueOrDefault((hotkey, coldkey)) + amount);
        return null;
    }

    /// <summary><c>remove_stake</c>: amount ≥ <c>MinStake</c>, hotkey registered, that much staked; an emptied entry goes.</summary>
    public static SubnetError? RemoveStake(ChainState chain, Subnet s, AccountId coldkey, AccountId hotkey, ulong amount)
    {
        var staked = s.Stake.GetValueOrDefault((hotkey, coldkey));
        if (amount < s.Parameters.MinStake) return SubnetError.AmountTooLow;
        if (s.UidOf(hotkey) is null) return SubnetError.HotKeyAccountNotExists;
        if (staked < amount) return SubnetError.NotEnoughStakeToWithdraw;
        chain.SetBalance(coldkey, checked(chain.Balance(coldkey) + amount));
        if (staked == amount) s.Stake.Remove((hotkey, coldkey));
        else s.Stake[(hotkey, coldkey)] = staked - amount;
        return null;
    }

    /// <summary>An IP is valid when it is not 0 and, for IPv4, below 2^32 − 1; for IPv6, below 2^128 − 1.</summary>
    public static bool IsValidIp(byte ipType, UInt128 ip) => ip > 0 && (ipType == 4 ? ip < uint.MaxValue : ip < UInt128.MaxValue);

    /// <summary><c>serve_axon</c>: registered, ip type 4 or 6, a valid ip, and the serving rate limit.</summary>
    public static SubnetError? ServeAxon(ChainState chain, Subnet s, AccountId hotkey, uint version, UInt128 ip, ushort port, byte ipType, byte protocol)
    {
        if (s.UidOf(hotkey) is not int uid) return SubnetError.HotKeyNotRegisteredInSubNet;
        if (ipType != 4 && ipType != 6) return SubnetError.InvalidIpType;
        if (!IsValidIp(ipType, ip)) return SubnetError.InvalidIpAddress;
        var neuron = s.Neurons[uid];
        var limit = s.Parameters.ServingRateLimit;
        if (neuron.Axon is { } previous && limit > 0 && previous.Block > 0 && chain.Block - Math.Min(chain.Block, previous.Block) < limit)
            return SubnetError.ServingRateLimitExceeded;
        neuron.Axon = new AxonInfo(chain.Block, version, ip, port, ipType, protocol, 0, 0);
        return null;
    }

    // ---- the block step -------------------------------------------------------------------------------------------

    /// <summary><c>upgraded_burn</c> in I110F18 (see the spec's <c>BlockStep.upgradedBurn</c>).</summary>
    public static ulong UpgradedBurn(SubnetParameters p, ushort registrations)
    {
        static ushort Add16(ushort a, ushort b) => (ushort)Math.Min(65535, a + b);
        var target = p.TargetRegistrationsPerInterval;
        var burn = I110F18.FromInteger(p.Burn);
        var updated = I110F18.SaturatingDiv(I110F18.SaturatingMul(burn, I110F18.FromInteger(Add16(registrations, target))), I110F18.FromInteger(Add16(target, target)));
        var alpha = I110F18.SaturatingDiv(I110F18.FromInteger(p.AdjustmentAlpha), I110F18.FromInteger(ulong.MaxValue));
        var next = I110F18.SaturatingAdd(I110F18.SaturatingMul(alpha, burn), I110F18.SaturatingMul(I110F18.SaturatingSub(I110F18.One, alpha), updated));
        if (next >= I110F18.FromInteger(p.MaxBurn)) return p.MaxBurn;
        if (next <= I110F18.FromInteger(p.MinBurn)) return p.MinBurn;
        return next.ToUInt64();
    }

    /// <summary><c>adjust_registration_terms_for_networks</c> for one subnet (the spec's <c>adjustRegistrationTerms</c>).</summary>
    public static void AdjustRegistrationTerms(Subnet s, ulong block)
    {
        s.RegistrationsThisBlock = 0;
        var p = s.Parameters;
        if (SaturatingSub(block, s.LastAdjustmentBlock) < p.AdjustmentInterval) return;
        var tooMany = s.RegistrationsThisInterval > p.TargetRegistrationsPerInterval;
        var none = s.BurnRegistrationsThisInterval == 0;
        if (tooMany || none) s.Parameters = p with { Burn = UpgradedBurn(p, s.RegistrationsThisInterval) };
        s.LastAdjustmentBlock = block;
        s.RegistrationsThisInterval = 0;
        s.BurnRegistrationsThisInterval = 0;
    }

    /// <summary>One block's alpha split: owner cut = α·cut/65535; half the rest to miners, the remainder to validators;
    /// U96F32, each floored to rao.</summary>
    public static (ulong OwnerCut, ulong Server, ulong Validator) BlockEmission(SubnetParameters p)
    {
        var alphaOut = U96F32.FromInteger(p.AlphaEmissionPerBlock);
        var cutFraction = U96F32.SafeDiv(U96F32.FromInteger(p.SubnetOwnerCut), U96F32.FromInteger(65535UL));
        var ownerCut = U96F32.SaturatingMul(alphaOut, cutFraction);
        var remaining = U96F32.SaturatingSub(alphaOut, ownerCut);
        var server = U96F32.SaturatingMul(remaining, U96F32.Half);
        var validator = U96F32.SaturatingSub(remaining, server);
        return (ownerCut.SaturatingToUInt64(), server.SaturatingToUInt64(), validator.SaturatingToUInt64());
    }

    /// <summary>The epoch's inputs read from the subnet (the spec's <c>BlockStep.epochState</c>).</summary>
    public static EpochState EpochInput(Subnet s, ulong block, ulong raoEmission)
    {
        var neurons = s.Neurons;
        ulong CommitBlock(AccountId hotkey) =>
            s.WeightCommits.GetValueOrDefault(hotkey, []).FirstOrDefault(c => !IsCommitExpired(s, s.EpochIndex, c))?.CommitBlock ?? ulong.MaxValue;
        return new EpochState(
            N: neurons.Count, Block: block,
            LastUpdate: neurons.Select(n => n.LastUpdate).ToArray(),
            BlockAtRegistration: neurons.Select(n => n.RegistrationBlock).ToArray(),
            AlphaStake: neurons.Select(n => s.HotkeyStake(n.Hotkey)).ToArray(),
            TaoStake: new ulong[neurons.Count],
            OwnerUid: s.UidOf(s.OwnerHotkey),
            ValidatorPermits: neurons.Select(n => n.ValidatorPermit).ToArray(),
            Weights: neurons.Select(n => n.Weights).ToArray(),
            Bonds: neurons.Select(n => n.Bonds).ToArray(),
            CommitBlocks: neurons.Select(n => CommitBlock(n.Hotkey)).ToArray(),
            LastMechanismStepBlock: s.LastMechanismStepBlock,
            RaoEmission: raoEmission);
    }

    private static void Credit(Subnet s, AccountId hotkey, AccountId coldkey, ulong amount)
    {
        if (amount == 0) return;
        s.Stake[(hotkey, coldkey)] = checked(s.Stake.GetValueOrDefault((hotkey, coldkey)) + amount);
    }

    /// <summary><c>distribute_emission</c> for one mechanism (the spec's <c>BlockStep.distribute</c>).</summary>
    public static EpochOutput Distribute(Subnet s, ulong block)
    {
        ulong server = s.PendingServerEmission, validator = s.PendingValidatorEmission, ownerCut = s.PendingOwnerCut;
        var output = Epoch.Run(s.Parameters.Epoch, EpochInput(s, block, server + validator));
        var totalIncentive = output.ServerEmission.Aggregate(System.Numerics.BigInteger.Zero, (a, x) => a + x);
        var pot = totalIncentive.IsZero ? server + validator : validator;
        var totalDividends = output.ValidatorEmission.Aggregate(System.Numerics.BigInteger.Zero, (a, x) => a + x);
        ulong Dividend(int i) => totalDividends.IsZero ? 0
            : U96F32.SafeDiv(U96F32.SaturatingMul(U96F32.FromInteger(pot), U96F32.FromInteger(output.ValidatorEmission[i])), U96F32.FromInteger(totalDividends)).SaturatingToUInt64();
        var ownerUid = s.UidOf(s.OwnerHotkey);
        for (var i = 0; i < s.Neurons.Count; i++)
        {
            var n = s.Neurons[i];
            Credit(s, n.Hotkey, n.Coldkey, ownerUid == i ? 0 : output.ServerEmission[i]);
            Credit(s, n.Hotkey, n.Coldkey, Dividend(i));
        }
        if (ownerUid is not null) Credit(s, s.OwnerHotkey, s.OwnerColdkey, ownerCut);
        for (var i = 0; i < s.Neurons.Count; i++)
        {
            var n = s.Neurons[i];
            n.Active = output.Active[i]; n.StakeWeight = output.StakeWeight[i]; n.Consensus = output.Consensus[i];
            n.Incentive = output.Incentive[i]; n.Dividends = output.Dividends[i]; n.ValidatorTrust = output.ValidatorTrust[i];
            n.Emission = output.Emission[i]; n.ValidatorPermit = output.NewValidatorPermits[i]; n.Bonds = output.Bonds[i];
        }
        return output;
    }

    /// <summary><c>block_step</c> for one subnet at the new <paramref name="block"/>: registration terms, emission, the
    /// scheduler, and the epoch when due. Returns the epoch's output when one ran.</summary>
    public static EpochOutput? Step(Subnet s, ulong block)
    {
        AdjustRegistrationTerms(s, block);
        var (ownerCut, server, validator) = BlockEmission(s.Parameters);
        s.PendingServerEmission += server;
        s.PendingValidatorEmission += validator;
        s.PendingOwnerCut += ownerCut;
        s.BlocksSinceLastStep++;
        if (!ShouldRunEpoch(s, block)) return null;
        s.LastEpochBlock = block;
        s.PendingEpochAt = 0;
        s.EpochIndex++;
        s.BlocksSinceLastStep = 0;
        var output = Distribute(s, block);
        s.PendingServerEmission = 0;
        s.PendingValidatorEmission = 0;
        s.PendingOwnerCut = 0;
        s.LastMechanismStepBlock = block;
        return output;
    }

    private static ulong SaturatingSub(ulong a, ulong b) => a > b ? a - b : 0;
    private static ushort SaturatingIncrement(ushort x) => x == ushort.MaxValue ? x : (ushort)(x + 1);
}
