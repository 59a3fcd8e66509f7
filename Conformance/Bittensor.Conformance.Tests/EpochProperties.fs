module Bittensor.Conformance.Tests.EpochProperties

open System.Numerics
open Expecto
open FsCheck
open FsCheck.FSharp
open Bittensor.Spec.Fixed
open Bittensor.Spec.Math
open Bittensor.Spec.Yuma

let private config = { FsCheckConfig.defaultConfig with maxTest = 300 }
let private property name (check: Hyperparameters * EpochState -> bool) =
    testPropertyWithConfig config name (Prop.forAll (Arb.fromGen Generators.subnet) check)

/// A normalised vector sums to 1 up to one ulp lost per entry, or is all zero.
let private sumsToOneOrZero (v: I32F32[]) =
    v |> Array.forall (fun x -> x = I32F32.Zero)
    || (let s = (Vector.sum v).Bits in s <= (1L <<< 32) && s >= (1L <<< 32) - int64 v.Length)

/// Relabels uid u as perm[u] everywhere in the state.
let private relabel (perm: int[]) (state: EpochState) : EpochState =
    let move (v: 'a[]) = let r = Array.copy v in (for u in 0 .. v.Length - 1 do r[perm[u]] <- v[u]); r
    let moveRows (rows: StoredEntry[][]) =
        rows |> Array.map (Array.map (fun e -> { e with Uid = perm[e.Uid] }) >> Array.sortBy _.Uid) |> move
    { state with
        LastUpdate = move state.LastUpdate; BlockAtRegistration = move state.BlockAtRegistration
        AlphaStake = move state.AlphaStake; TaoStake = move state.TaoStake; OwnerUid = state.OwnerUid |> Option.map (Array.get perm)
        ValidatorPermits = move state.ValidatorPermits; Weights = moveRows state.Weights; Bonds = moveRows state.Bonds
        CommitBlocks = move state.CommitBlocks }

[<Tests>]
let tests =
    testList "epoch properties" [
        property "incentive and dividends each sum to one or are all zero" (fun (hp, state) ->
            let out = Epoch.run hp state
            sumsToOneOrZero out.Trace.Incentive && sumsToOneOrZero out.Trace.Dividends)
        property "emission is conserved: at most 2n rao + 2n·rao/2^32 lost to rounding, never created" (fun (hp, state) ->
            let out = Epoch.run hp state
            let n = BigInteger state.N
            let rao = BigInteger state.RaoEmission
            let paid = Array.append out.ServerEmission out.ValidatorEmission |> Array.sumBy BigInteger
            let bound = 2I * n + (2I * n * rao + (1I <<< 32) - 1I) / (1I <<< 32)
            if Vector.isZero out.Trace.Stake then paid = 0I else paid <= rao && rao - paid <= bound)
        property "relabelling uids permutes every output (rows stored sorted, permits not binding)" (fun (hp, state) ->
            let hp = { hp with MaxAllowedValidators = 64us; LiquidAlpha = false }
            let sorted = { state with Weights = state.Weights |> Array.map (Array.sortBy _.Uid); Bonds = state.Bonds |> Array.map (Array.sortBy _.Uid) }
            let perm = Array.init state.N (fun u -> (u * 5 + 3) % state.N) |> fun p -> if Array.distinct p = p then p else Array.rev (Array.init state.N id)
            let a = Epoch.run hp sorted
            let b = Epoch.run hp (relabel perm sorted)
            let moved (v: 'a[]) = Array.init v.Length (fun u -> v[perm[u]])
            let sortedRows (rows: StoredEntry[][]) = rows |> Array.map (Array.map (fun e -> { e with Uid = perm[e.Uid] }) >> Array.sortBy _.Uid)
            moved b.Incentive = a.Incentive && moved b.Dividends = a.Dividends && moved b.Consensus = a.Consensus
            && moved b.ServerEmission = a.ServerEmission && moved b.ValidatorEmission = a.ValidatorEmission
            && moved b.ValidatorTrust = a.ValidatorTrust && moved b.NewValidatorPermits = a.NewValidatorPermits
            && (moved b.Bonds |> Array.map (Array.sortBy _.Uid)) = sortedRows a.Bonds)
        testPropertyWithConfig config "a coalition with less than kappa of the active stake cannot lift consensus above what the others support"
            (Prop.forAll (Arb.fromGen (Gen.zip Generators.subnet (Gen.listOf (Gen.choose (0, 11))))) (fun ((hp, state), members) ->
                let out = Epoch.run hp state
                let a, w = out.Trace.ActiveStake, out.Trace.Weights
                let coalition = set members
                let coalitionStake = a |> Array.indexed |> Array.filter (fun (i, _) -> coalition.Contains i) |> Array.map snd |> Vector.sum
                let kappa = Conversions.u16ProportionToFixed hp.Kappa
                coalitionStake >= kappa
                || Array.forall (fun j ->
                    let others =
                        [ for i in 0 .. state.N - 1 do
                            if not (coalition.Contains i) && a[i] > I32F32.Zero then
                                yield w[i] |> Array.tryFind (fun e -> e.Col = j) |> Option.map _.Value |> Option.defaultValue I32F32.Zero ]
                    others.IsEmpty || out.Trace.Consensus[j] <= List.max others) [| 0 .. state.N - 1 |]))
        testPropertyWithConfig config "adding support for a miner never lowers its consensus"
            (Prop.forAll (Arb.fromGen (Gen.zip3 Generators.subnet (Gen.choose (0, 11)) (Gen.choose (0, 11)))) (fun ((hp, state), i, j) ->
                let i, j = i % state.N, j % state.N
                let raised =
                    let row = state.Weights[i]
                    match row |> Array.tryFindIndex (fun e -> e.Uid = j) with
                    | Some k -> row |> Array.updateAt k { row[k] with Value = 65535us }
                    | None -> Array.append row [| { Uid = j; Value = 65535us } |]
                let before = (Epoch.run hp state).Trace.Consensus[j]
                let after = (Epoch.run hp { state with Weights = state.Weights |> Array.updateAt i raised }).Trace.Consensus[j]
                after >= before))
    ]
