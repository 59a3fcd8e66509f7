module Bittensor.Conformance.Tests.SubnetTests

open System.Numerics
open Expecto
open FsCheck
open FsCheck.FSharp
open Bittensor.Spec.Subnet

let private account = State.exampleAccount
let private ok result = match result with | Ok s -> s | Error e -> failtestf "unexpected rejection: %A" e
let private apply op state = Chain.apply state op
let rec private stepTo block (state: SubnetState) = if state.Block >= block then state else stepTo block (fst (Chain.step state))

/// A subnet at block 1 with the example's participants registered and staked.
let private genesis () = Examples.genesis ()
let private hotkey name = (Examples.participants |> Array.find (fun p -> p.Name = name)).Hotkey
let private coldkey name = (Examples.participants |> Array.find (fun p -> p.Name = name)).Coldkey
let private uidOf state name = State.uidOf state (hotkey name) |> Option.get

/// Deep copy, so that a rejected operation that mutated an array in place would be caught.
let private snapshot (s: SubnetState) =
    { s with Neurons = s.Neurons |> Array.map (fun n -> { n with Weights = Array.copy n.Weights; Bonds = Array.copy n.Bonds }) }

[<Tests>]
let tests =
    testList "subnet state machine" [
        test "blake2b-256 of the empty string and blake2b-512 of abc (RFC 7693)" {
            Expect.equal (System.Convert.ToHexStringLower(Hashing.blake2b 32 [||])) "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8" "empty"
            Expect.equal (System.Convert.ToHexStringLower(Hashing.blake2b 64 "abc"B)).[0..15] "ba80a53f981c4d0d" "abc"
            let long = Array.init 300 byte
            Expect.equal (Hashing.blake2b 32 long).Length 32 "multi-block input"
        }
        test "SCALE compact lengths" {
            Expect.equal (Hashing.compactLength 0) [| 0uy |] "0"
            Expect.equal (Hashing.compactLength 63) [| 252uy |] "63"
            Expect.equal (Hashing.compactLength 64) [| 1uy; 1uy |] "64"
            Expect.equal (Hashing.compactLength 16384) [| 2uy; 0uy; 1uy; 0uy |] "16384"
        }
        test "registration appends uids, burns the cost, and refuses a second registration of a hotkey" {
            let s = genesis ()
            Expect.equal s.Neurons.Length 9 "nine registered"
            Expect.equal (State.balance s (coldkey "miner-1")) (10_000_000_000_000UL - s.Parameters.Burn) "burn paid"
            Expect.equal (apply (Register(coldkey "miner-1", hotkey "miner-1")) s) (Error HotKeyAlreadyRegisteredInSubNet) "twice"
            Expect.equal (apply (Register(account "pauper", account "pauper-hot")) s) (Error NotEnoughBalanceToStake) "cannot pay"
        }
        test "a full subnet replaces the non-immune uid with the lowest emission, and zeroes weights pointing to it" {
            let s = genesis ()
            let small = { s with Parameters = { s.Parameters with MaxAllowedUids = 9; ImmunityPeriod = 0UL; MinNonImmuneUids = 0 } }
            // give every uid an emission, the lowest to miner-3 (uid 6); point validator-a's weights at it
            let neurons = small.Neurons |> Array.mapi (fun uid n -> { n with Emission = (if uid = 6 then 5UL else 100UL + uint64 uid) })
            let withWeights = neurons |> Array.updateAt 1 { neurons[1] with Weights = [| { Uid = 6; Value = 65535us }; { Uid = 4; Value = 100us } |] }
            let full = { small with Neurons = withWeights; Balances = small.Balances.Add(account "newcomer", 2_000_000_000UL) }
            let after = apply (Register(account "newcomer", account "newcomer-hot")) full |> ok
            Expect.equal after.Neurons.Length 9 "still full"
            Expect.equal after.Neurons[6].Hotkey (account "newcomer-hot") "uid 6 replaced"
            Expect.equal after.Neurons[1].Weights [| { Uid = 6; Value = 0us }; { Uid = 4; Value = 100us } |] "weight to the replaced uid kept at 0"
        }
        test "the owner's hotkey is never pruned" {
            let s = genesis ()
            let full = { s with Parameters = { s.Parameters with MaxAllowedUids = 9; ImmunityPeriod = 0UL; MinNonImmuneUids = 0 } }
            Expect.notEqual (Registration.neuronToPrune full) (Some 0) "uid 0 is the owner's"
            Expect.isTrue ((Registration.ownerImmortalUids full).Contains 0) "immortal"
        }
        test "set_weights names each failed check" {
            let s = genesis () |> stepTo 20UL
            let v = hotkey "validator-a"
            let set uids values = apply (SetWeights(v, uids, values, 0UL)) s
            Expect.equal (set [| 4us |] [| 1us; 2us |]) (Error WeightVecNotEqualSize) "lengths"
            Expect.equal (set (Array.init 10 uint16) (Array.create 10 1us)) (Error UidsLengthExceedUidsInSubNet) "more than n"
            Expect.equal (apply (SetWeights(account "stranger", [| 4us |], [| 1us |], 0UL)) s) (Error HotKeyNotRegisteredInSubNet) "unregistered"
            Expect.equal (set [| 4us; 4us |] [| 1us; 2us |]) (Error DuplicateUids) "duplicates"
            Expect.equal (set [| 4us; 42us |] [| 1us; 2us |]) (Error UidVecContainInvalidOne) "unknown uid"
            Expect.equal (apply (SetWeights(hotkey "miner-1", [| 5us |], [| 1us |], 0UL)) s) (Error NeuronNoValidatorPermit) "no permit"
            let versioned = { s with Parameters = { s.Parameters with WeightsVersionKey = 7UL } }
            Expect.equal (apply (SetWeights(v, [| 4us |], [| 1us |], 6UL)) versioned) (Error IncorrectWeightVersionKey) "old version"
            let minimum = { s with Parameters = { s.Parameters with MinAllowedWeights = 3 } }
            Expect.equal (apply (SetWeights(v, [| 4us; 5us |], [| 1us; 2us |], 0UL)) minimum) (Error WeightVecLengthIsLow) "too few"
            let limited = { s with Parameters = { s.Parameters with MaxWeightLimit = 32768us } }
            Expect.equal (apply (SetWeights(v, [| 4us; 5us |], [| 65535us; 1us |], 0UL)) limited) (Error MaxWeightExceeded) "one weight dominates"
            let withCommitReveal = { s with Parameters = { s.Parameters with Epoch = { s.Parameters.Epoch with CommitReveal = true } } }
            Expect.equal (apply (SetWeights(v, [| 4us |], [| 1us |], 0UL)) withCommitReveal) (Error CommitRevealEnabled) "commit-reveal on"
        }
        test "a miner may set a self-weight without a permit, and weights are stored max-upscaled in submission order" {
            let s = genesis () |> stepTo 20UL
            let miner = hotkey "miner-1"
            let self = apply (SetWeights(miner, [| uint16 (uidOf s "miner-1") |], [| 7us |], 0UL)) s |> ok
            Expect.equal self.Neurons[uidOf s "miner-1"].Weights [| { Uid = uidOf s "miner-1"; Value = 65535us } |] "self-weight"
            let v = apply (SetWeights(hotkey "validator-a", [| 5us; 4us |], [| 21845us; 43690us |], 0UL)) s |> ok
            Expect.equal v.Neurons[1].Weights [| { Uid = 5; Value = 32768us }; { Uid = 4; Value = 65535us } |] "[43690, 21845] → [65535, 32768], order kept"
            Expect.equal v.Neurons[1].LastUpdate 20UL "last update"
            Expect.equal (apply (SetWeights(hotkey "validator-a", [| 4us |], [| 1us |], 0UL)) v) (Error SettingWeightsTooFast) "rate limit"
        }
        test "commit-reveal: too early, on time, and expired" {
            let start = genesis ()
            let s = { start with Parameters = { start.Parameters with Epoch = { start.Parameters.Epoch with CommitReveal = true } } } |> stepTo 15UL
            let v = hotkey "validator-a"
            let uids, values, salt = [| 4us; 5us |], [| 100us; 200us |], [| 1us; 2us; 3us |]
            let hash = WeightSetting.commitHash v s.Netuid uids values salt 0UL
            let committed = apply (CommitWeights(v, hash)) s |> ok
            Expect.equal (apply (RevealWeights(v, uids, values, salt, 0UL)) committed) (Error RevealTooEarly) "same epoch"
            Expect.equal (apply (RevealWeights(v, uids, values, [| 9us |], 0UL)) committed) (Error InvalidRevealCommitHashNotMatch) "wrong salt"
            Expect.equal (apply (RevealWeights(hotkey "validator-b", uids, values, salt, 0UL)) committed) (Error NoWeightsCommitFound) "no commit"
            let nextEpoch = committed |> stepTo (committed.LastEpochBlock + 20UL + 1UL)
            let revealed = apply (RevealWeights(v, uids, values, salt, 0UL)) nextEpoch |> ok
            Expect.equal revealed.Neurons[1].Weights [| { Uid = 4; Value = 32768us }; { Uid = 5; Value = 65535us } |] "revealed and stored"
            Expect.isFalse (revealed.WeightCommits.ContainsKey v) "commitment consumed"
            let later = committed |> stepTo (committed.LastEpochBlock + 60UL)
            Expect.equal (apply (RevealWeights(v, uids, values, salt, 0UL)) later) (Error ExpiredWeightCommit) "two epochs late"
        }
        test "staking moves balance to stake and back, and names what is wrong" {
            let s = genesis ()
            let c, h = coldkey "miner-1", hotkey "miner-1"
            let staked = apply (AddStake(c, h, 1_000_000_000UL)) s |> ok
            Expect.equal (State.hotkeyStake staked h) 1_000_000_000UL "staked"
            let back = apply (RemoveStake(c, h, 1_000_000_000UL)) staked |> ok
            Expect.equal (State.balance back c) (State.balance s c) "balance restored"
            Expect.equal (apply (AddStake(c, h, 1UL)) s) (Error AmountTooLow) "below minimum"
            Expect.equal (apply (AddStake(c, account "nobody", 1_000_000_000UL)) s) (Error HotKeyAccountNotExists) "unknown hotkey"
            Expect.equal (apply (AddStake(c, h, 100_000_000_000_000UL)) s) (Error NotEnoughBalanceToStake) "too much"
            Expect.equal (apply (RemoveStake(c, h, 1_000_000_000UL)) s) (Error NotEnoughStakeToWithdraw) "nothing staked"
        }
        test "serve_axon validates the address and rate-limits updates" {
            let s = genesis () |> stepTo 100UL
            let h = hotkey "miner-1"
            let served = apply (ServeAxon(h, 1u, BigInteger 0x0A000001, 8091us, 4uy, 4uy)) s |> ok
            Expect.equal (served.Neurons[uidOf s "miner-1"].Axon |> Option.map _.Port) (Some 8091us) "stored"
            Expect.equal (apply (ServeAxon(h, 1u, BigInteger 0x0A000001, 8092us, 4uy, 4uy)) served) (Error ServingRateLimitExceeded) "too soon"
            Expect.equal (apply (ServeAxon(h, 1u, 0I, 8091us, 4uy, 4uy)) s) (Error InvalidIpAddress) "ip 0"
            Expect.equal (apply (ServeAxon(h, 1u, BigInteger 0x0A000001, 8091us, 5uy, 4uy)) s) (Error InvalidIpType) "ip type 5"
        }
        test "epochs run every tempo blocks and pay miners and validators what accumulated" {
            let final, epochs = Examples.run 4
            Expect.equal epochs.Length 4 "four epochs"
            let blocks = epochs |> List.map fst
            Expect.equal (blocks |> List.pairwise |> List.map (fun (a, b) -> b - a) |> List.distinct) [ 20UL ] "every τ = 20 blocks"
            let _, lastOutput = List.last epochs
            Expect.isGreaterThan lastOutput.Incentive[4] lastOutput.Incentive[7] "the best-rated miner earns more than a poorly rated one"
            Expect.isGreaterThan (State.hotkeyStake final (hotkey "miner-1")) 0UL "miners are paid in stake"
            Expect.equal final.EpochIndex 4UL "epoch index advanced"
        }
        test "the burn: up after a busy interval, kept at the target, down after an idle one, clamped" {
            let p = { State.defaultParameters with Burn = 1_000_000_000UL; TargetRegistrationsPerInterval = 2us; AdjustmentAlpha = 0UL }
            Expect.equal (BlockStep.upgradedBurn p 0us) 500_000_000UL "no registrations: burn · 2 / 4"
            Expect.equal (BlockStep.upgradedBurn p 6us) 2_000_000_000UL "six: burn · 8 / 4"
            Expect.equal (BlockStep.upgradedBurn { p with AdjustmentAlpha = System.UInt64.MaxValue } 6us) 1_000_000_000UL "alpha 1 keeps the old burn"
            // alpha = 1/2 exactly is not representable: (2^64 − 1)/2 / (2^64 − 1) truncates to 131071/2^18 in I110F18
            Expect.equal (BlockStep.upgradedBurn { p with AdjustmentAlpha = System.UInt64.MaxValue / 2UL } 6us) 1_500_003_814UL "alpha ≈ 1/2: halfway, as I110F18 rounds"
            Expect.equal (BlockStep.upgradedBurn { p with MaxBurn = 1_200_000_000UL } 6us) 1_200_000_000UL "clamped to MaxBurn"
            Expect.equal (BlockStep.upgradedBurn { p with Burn = 600_000UL } 0us) p.MinBurn "clamped to MinBurn"
            let s = { genesis () with LastAdjustmentBlock = 0UL; RegistrationsThisInterval = 2us; BurnRegistrationsThisInterval = 2us }
            let atTarget = BlockStep.adjustRegistrationTerms { s with Parameters = p } 100UL
            Expect.equal atTarget.Parameters.Burn 1_000_000_000UL "registrations at the target: unchanged (only the difficulty would move)"
            Expect.equal (atTarget.LastAdjustmentBlock, atTarget.RegistrationsThisInterval) (100UL, 0us) "counters reset"
            let early = BlockStep.adjustRegistrationTerms { s with Parameters = p; LastAdjustmentBlock = 1UL } 100UL
            Expect.equal (early.LastAdjustmentBlock, early.RegistrationsThisInterval) (1UL, 2us) "99 blocks: not yet"
            let idle = BlockStep.adjustRegistrationTerms { s with Parameters = p; RegistrationsThisInterval = 0us; BurnRegistrationsThisInterval = 0us } 100UL
            Expect.equal idle.Parameters.Burn 500_000_000UL "idle interval: halved"
            let registered = apply (Register(account "newcomer", account "newcomer-hot")) { s with Balances = s.Balances.Add(account "newcomer", 2_000_000_000UL) } |> ok
            Expect.equal (registered.RegistrationsThisInterval, registered.BurnRegistrationsThisInterval) (3us, 3us) "a registration counts in the interval"
        }
        test "before 2025-10 epochs fire when (b + netuid + 1) mod (tempo + 1) = 0" {
            let start = genesis ()
            let legacy = { start with Parameters = { start.Parameters with Epoch = { start.Parameters.Epoch with Era = Bittensor.Spec.Yuma.Before2025_10 } } }
            let blocks =
                Seq.unfold (fun s -> let next, output = Chain.step s in Some((next.Block, output.IsSome), next)) legacy
                |> Seq.take 70 |> Seq.filter snd |> Seq.map fst |> List.ofSeq
            // netuid 1, tempo 20: b + 2 ≡ 0 (mod 21)
            Expect.equal blocks [ 19UL; 40UL; 61UL ] "every 21 blocks"
        }
        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 100 } "a rejected operation leaves the state unchanged"
            (Prop.forAll (Arb.fromGen Generators.operationSequence) (fun operations ->
                let mutable state = genesis ()
                operations |> List.forall (fun op ->
                    let before = snapshot state
                    match Chain.apply state op with
                    | Ok next -> state <- next; true
                    | Error _ -> state = before)))
    ]
