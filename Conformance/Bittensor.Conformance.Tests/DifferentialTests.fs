/// Differential properties: the Reference consensus (C#) must agree with the spec bit for bit on generated inputs.
/// A disagreement prints both sides and saves the input as a regression case (Conformance/regressions/), which the
/// vector generator then turns into a permanent vector.
module Bittensor.Conformance.Tests.DifferentialTests

open System
open System.IO
open System.Security.Cryptography
open System.Text
open Expecto
open FsCheck
open FsCheck.FSharp
open Bittensor.Spec.Yuma
open Bittensor.Conformance

type private ReferenceEra = Bittensor.Consensus.Era

let toReferenceHyperparameters (hp: Hyperparameters) =
    Bittensor.Consensus.Hyperparameters(
        (match hp.Era with
         | Current -> ReferenceEra.Current
         | Before2025_10 -> ReferenceEra.Before2025_10),
        hp.ActivityCutoff, hp.Tempo, hp.ActivityCutoffFactorMilli, hp.Kappa, hp.BondsPenalty, hp.BondsMovingAverage,
        hp.MaxAllowedValidators, hp.StakeThreshold, hp.TaoWeight, hp.Yuma3, hp.LiquidAlpha, hp.AlphaLow, hp.AlphaHigh,
        hp.AlphaSigmoidSteepness, hp.CommitReveal)

let private toReferenceRows (rows: StoredEntry[][]) =
    rows |> Array.map (Array.map (fun e -> Bittensor.Consensus.StoredEntry(e.Uid, e.Value)))

let toReferenceState (s: EpochState) =
    Bittensor.Consensus.EpochState(
        s.N, s.Block, s.LastUpdate, s.BlockAtRegistration, s.AlphaStake, s.TaoStake,
        (match s.OwnerUid with Some u -> Nullable u | None -> Nullable()), s.ValidatorPermits,
        toReferenceRows s.Weights, toReferenceRows s.Bonds, s.CommitBlocks, s.LastMechanismStepBlock, s.RaoEmission)

/// The fields on which the two outputs differ, each with both sides.
let differences (spec: EpochOutput) (reference: Bittensor.Consensus.EpochOutput) : string list =
    let rows (r: StoredEntry[][]) = r |> Array.map (Array.map (fun e -> e.Uid, e.Value))
    let referenceRows (r: Bittensor.Consensus.StoredEntry[][]) = r |> Array.map (Array.map (fun e -> e.Uid, e.Value))
    let check name (a: 'a) (b: 'a) = if a = b then None else Some $"{name}:\n    Spec:      %A{a}\n    Reference: %A{b}"
    [ check "active" spec.Active reference.Active
      check "stake_weight" spec.StakeWeight reference.StakeWeight
      check "consensus" spec.Consensus reference.Consensus
      check "incentive" spec.Incentive reference.Incentive
      check "dividends" spec.Dividends reference.Dividends
      check "validator_trust" spec.ValidatorTrust reference.ValidatorTrust
      check "server_emission" spec.ServerEmission reference.ServerEmission
      check "validator_emission" spec.ValidatorEmission reference.ValidatorEmission
      check "emission" spec.Emission reference.Emission
      check "new_validator_permits" spec.NewValidatorPermits reference.NewValidatorPermits
      check "rank" spec.Rank reference.Rank
      check "trust" spec.Trust reference.Trust
      check "pruning_score" spec.PruningScore reference.PruningScore
      check "bonds" (rows spec.Bonds) (referenceRows reference.Bonds)
      check "stake" spec.Stake reference.Stake ]
    |> List.choose id

/// Conformance/regressions/epoch/epoch_mechanism in this checkout, found from the test binaries.
let private regressionsFolder () =
    match VectorFiles.repositoryRootFrom AppContext.BaseDirectory with
    | Ok root -> Path.Combine(root, "Conformance", "regressions", "epoch", "epoch_mechanism")
    | Error message -> failwith $"cannot save the counterexample: {message}"

/// Saves a counterexample's input where the vector generator picks it up; returns the file's path.
let saveRegression (hp: Hyperparameters) (state: EpochState) : string =
    let input = Cases.epochInput hp state
    let json = CanonicalJson.write input
    let name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes json))[..11]
    let folder = regressionsFolder ()
    Directory.CreateDirectory folder |> ignore
    let path = Path.Combine(folder, name + ".json")
    let document = Codec.obj [ "description", Codec.text "a differential-property counterexample (Spec ≠ Reference)"; "input", input ]
    File.WriteAllText(path, CanonicalJson.write document)
    path

/// Spec and Reference agree on this input, or the property fails with both sides and the input is saved.
let agree (hp: Hyperparameters, state: EpochState) : bool =
    let spec = Epoch.run hp state
    let reference = Bittensor.Consensus.Epoch.Run(toReferenceHyperparameters hp, toReferenceState state)
    match differences spec reference with
    | [] -> true
    | diffs ->
        let saved = saveRegression hp state
        failwithf "Spec and Reference disagree (input saved as %s; run 'conformance generate' to make it a vector):\n%s" saved (String.concat "\n" diffs)

/// Larger subnets for the differential check: up to 96 uids.
let private largerSubnet =
    gen {
        let! n = Gen.choose (13, 96)
        let! seed = Gen.choose (0, Int32.MaxValue)
        let input = Cases.randomEpoch (Random seed) n (max 1 (n / 3))
        return Codec.readHyperparameters "input.hyperparameters" (Codec.field "input" "hyperparameters" input),
               Codec.readEpochState "input.state" (Codec.field "input" "state" input)
    }

let private toReferenceFixed (x: Bittensor.Spec.Fixed.I32F32) = Bittensor.Consensus.I32F32(x.Bits)
let private pair = Arb.fromGen (Gen.two Generators.fixedOf<Bittensor.Spec.Fixed.I32F32>)
let private ruleConfig = { FsCheckConfig.defaultConfig with maxTest = 1000 }

/// Per rule: the Reference's fixed-point operations, conversions and transcendental functions against the spec's.
let private ruleProperties =
    testList "per rule" [
        testPropertyWithConfig ruleConfig "saturating add, sub, mul and safe div" (Prop.forAll pair (fun (a, b) ->
            let ra, rb = toReferenceFixed a, toReferenceFixed b
            (Bittensor.Spec.Fixed.Fixed.saturatingAdd a b).Bits = Bittensor.Consensus.I32F32.SaturatingAdd(ra, rb).Bits
            && (Bittensor.Spec.Fixed.Fixed.saturatingSub a b).Bits = Bittensor.Consensus.I32F32.SaturatingSub(ra, rb).Bits
            && (Bittensor.Spec.Fixed.Fixed.saturatingMul a b).Bits = Bittensor.Consensus.I32F32.SaturatingMul(ra, rb).Bits
            && (Bittensor.Spec.Fixed.Fixed.safeDiv a b).Bits = Bittensor.Consensus.I32F32.SafeDiv(ra, rb).Bits))
        testPropertyWithConfig ruleConfig "exp and the liquid-alpha sigmoid" (Prop.forAll (Arb.fromGen (Gen.zip (Gen.three Generators.proportion) (Gen.choose (-32768, 32767)))) (fun ((c, w, b), k) ->
            let steepness = Bittensor.Spec.Fixed.Fixed.ofInteger (bigint k)
            let low, high = min c w, max c w
            let spec = Bittensor.Spec.Fixed.Transcendental.alphaSigmoid c w b low high steepness
            let reference = Bittensor.Consensus.Transcendental.AlphaSigmoid(toReferenceFixed c, toReferenceFixed w, toReferenceFixed b, toReferenceFixed low, toReferenceFixed high, toReferenceFixed steepness)
            let x: Bittensor.Spec.Fixed.I32F32 = { Bits = (w.Bits - c.Bits) * 20L }
            let mutable referenceExp = Bittensor.Consensus.I32F32.Zero
            let ok = Bittensor.Consensus.Transcendental.TryExp(toReferenceFixed x, &referenceExp)
            spec.Bits = reference.Bits
            && (match Bittensor.Spec.Fixed.Transcendental.exp x with
                | Some e -> ok && e.Bits = referenceExp.Bits
                | None -> not ok)))
        testPropertyWithConfig ruleConfig "u16 conversions and the plain EMA alpha" (Prop.forAll (Arb.fromGen (Gen.zip (Gen.arrayOf Generators.proportion) (Gen.choose (0, 1_000_000)))) (fun (v, bma) ->
            Bittensor.Spec.Fixed.Conversions.vecMaxUpscaleToU16 v = Bittensor.Consensus.Conversions.VecMaxUpscaleToU16(System.ReadOnlySpan(v |> Array.map toReferenceFixed))
            && (v |> Array.forall (fun x -> Bittensor.Spec.Fixed.Conversions.fixedProportionToU16 x = Bittensor.Consensus.Conversions.FixedProportionToU16(toReferenceFixed x)))
            && (Bittensor.Spec.Fixed.Conversions.emaAlphaOfBondsMovingAverage (uint64 bma)).Bits = Bittensor.Consensus.Conversions.EmaAlphaOfBondsMovingAverage(uint64 bma).Bits))
    ]

[<Tests>]
let tests =
    testList "differential: Spec = Reference" [
        ruleProperties
        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 400 } "small subnets (1–12 uids, every branch)"
            (Prop.forAll (Arb.fromGen Generators.subnet) agree)
        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 40 } "larger subnets (13–96 uids)"
            (Prop.forAll (Arb.fromGen largerSubnet) agree)
        test "the comparison can fail: a changed output is reported field by field" {
            let hp, state = Examples.smallSubnet |> fun (h, s, _) -> h, s
            let spec = Epoch.run hp state
            let reference = Bittensor.Consensus.Epoch.Run(toReferenceHyperparameters hp, toReferenceState state)
            Expect.isEmpty (differences spec reference) "they agree on the example"
            let tampered = { spec with Incentive = spec.Incentive |> Array.mapi (fun i v -> if i = 3 then v + 1us else v) }
            let reported = differences tampered reference
            Expect.equal reported.Length 1 "one field differs"
            Expect.stringContains reported[0] "incentive" "named"
        }
    ]
