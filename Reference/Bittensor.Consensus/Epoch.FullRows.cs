using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Bittensor.Consensus;

public static partial class Epoch
{
    internal sealed partial class BondsPass
    {
        /// <summary>Whether this epoch's bonds pass may use <see cref="TryFullRow"/>: Yuma 3 without liquid alpha (the
        /// caller checks), after 2025-10 (no unclipped ranks), a bonds penalty of 0 or 1 (the weights for bonds are W or
        /// the clipped W, cell for cell), an EMA α in [0, 1], no column's bonds dropped as recently registered, and
        /// 512-bit vectors in hardware.</summary>
        private bool FullRowsApply(I32F32 alpha, I32F32 keep, bool[] bondColumnsKept) =>
            ws.FullRowPaths && Vector512.IsHardwareAccelerated && !legacy
            && (ratio == 0 || ratio == I32F32.OneBits)
            && I32F32.IsProportion(alpha.Bits) && I32F32.IsProportion(keep.Bits)
            && Array.TrueForAll(bondColumnsKept, kept => kept);

        /// <summary>
        /// Row i of the bonds pass (<see cref="ClipRankAndWeightsForBonds"/>, <see cref="EmaRow"/> and
        /// <see cref="Store"/>) in one vectorised walk over the columns, for the rows a dense subnet has: its W row holds
        /// every column once, in order, except perhaps its own (the diagonal, which the masking drops for all but the
        /// owner), and so do its stored bonds, or it has none. Any other row gets false, with nothing written. Per column
        /// j, with w the weight (0 where the row has no cell), c the consensus, a the row's active stake and b the
        /// stored bond as a u16 proportion: kept = min(w, c); trust += kept; rank_j += a·kept;
        /// B_ij = α·(β = 0 ? w : kept) + (1 − α)·b. Every operand is a proportion, so each product is
        /// <see cref="I32F32.MulProportions"/> (exact in 64 bits), and B_ij ≤ α + (1 − α) = 1 needs no saturation.
        /// A cell without a weight or a bond and a B_ij of 0 are left out of the EMA row, as the merge leaves them out.
        /// </summary>
        private bool TryFullRow(int i, RowScratch scratch, long alphaBits, long keepBits)
        {
            if (n < Vector512<long>.Count) return false;
            if (!_weights.Full[i]) return false;
            var start = _weights.Start[i];
            var weightGap = _weights.Length[i] == n - 1;
            var bondsRow = i < s.Bonds.Length ? s.Bonds[i] : [];
            var hasBonds = bondsRow.Length > 0;
            var bondGap = bondsRow.Length == n - 1;
            if (hasBonds && !bondGap && bondsRow.Length != n) return false;
            // a stored entry is one 8-byte lane: the uid in the low 4 bytes, the u16 value in the next 2 (then padding)
            var bondLanes = MemoryMarshal.Cast<StoredEntry, ulong>(bondsRow.AsSpan());
            if (hasBonds && (!IsEveryUidInOrder(bondLanes[..i], 0) || !IsEveryUidInOrder(bondLanes[i..], bondGap ? i + 1 : i))) return false;

            // the diagonal first: whether it has a cell decides where the later columns go
            var a = activeStake[i];
            var diagonalWeight = weightGap ? 0 : _weights.Val[start + i];
            var diagonalKept = Clip(diagonalWeight, consensus[i]);
            var diagonalBond = Bond(alphaBits, keepBits, ratio != 0 ? diagonalKept : diagonalWeight, hasBonds && !bondGap ? bondsRow[i].Value : null);
            var diagonalCell = diagonalBond > 0;
            var length = diagonalCell ? n : n - 1;
            var stored = newPermits[i] ? GC.AllocateUninitializedArray<StoredEntry>(length, pinned: true) : null;
            var storedLanes = stored is null ? [] : MemoryMarshal.Cast<StoredEntry, ulong>(stored.AsSpan());
            var ema = ws.Ema;
            var at = ema.Start[i];
            var columns = new Segment(consensus, a, ratio != 0, hasBonds, scratch, alphaBits, keepBits, ema.Col.AsSpan(at, length), ema.Val.AsSpan(at, length), storedLanes);
            var zero = columns.Run(0, i, _weights.Val.AsSpan(start, i), hasBonds ? bondLanes[..i] : [], outputFrom: 0);
            scratch.Partial[0][i] += I32F32.MulProportions(a, diagonalKept);
            if (diagonalCell)
            {
                ema.Col[at + i] = i;
                ema.Val[at + i] = diagonalBond;
                scratch.Partial[2][i] += diagonalBond;
                if (stored is not null) stored[i] = new StoredEntry(i, Conversions.FixedProportionToU16(new(diagonalBond)));
            }
            var afterDiagonal = weightGap ? i : i + 1;
            zero |= columns.Run(i + 1, n, _weights.Val.AsSpan(start + afterDiagonal, n - i - 1),
                hasBonds ? bondLanes[(bondGap ? i : i + 1)..] : [], outputFrom: diagonalCell ? i + 1 : i);
            _trust[i] = columns.Trust + diagonalKept;
            ema.Length[i] = length;
            if (zero)
            {
                // the EMA keeps positive cells only: drop the zeros, then store the shorter row
                var kept = at;
                for (var k = at; k < at + length; k++)
                    if (ema.Val[k] > 0) { ema.Col[kept] = ema.Col[k]; ema.Val[kept++] = ema.Val[k]; }
                ema.Length[i] = kept - at;
                Store(i, ema, null);
            }
            else _bonds[i] = stored ?? [];
            return true;
        }

        /// <summary>One row's columns for <see cref="TryFullRow"/>, walked in segments of consecutive columns that have
        /// a weight and (with bonds) a bond each; sums the row's clipped weights in <see cref="Trust"/>.</summary>
        private ref struct Segment(long[] consensus, long activeStake, bool keptAsWeight, bool hasBonds, RowScratch scratch,
            long alphaBits, long keepBits, Span<int> emaCols, Span<long> emaVals, Span<ulong> storedLanes)
        {
            private readonly Span<int> _emaCols = emaCols;
            private readonly Span<long> _emaVals = emaVals;
            private readonly Span<ulong> _storedLanes = storedLanes;
            public long Trust;

            /// <summary>Columns [from, to): their weights and bonds given, their cells written from
            /// <paramref name="outputFrom"/> on; true when some B_ij is 0.</summary>
            public bool Run(int from, int to, ReadOnlySpan<long> weights, ReadOnlySpan<ulong> bonds, int outputFrom)
            {
                var count = to - from;
                var store = _storedLanes.Length > 0;
                ref var w = ref MemoryMarshal.GetReference(weights);
                ref var b = ref MemoryMarshal.GetReference(bonds);
                ref var c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(consensus), from);
                ref var rank = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(scratch.Partial[0]), from);
                ref var total = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(scratch.Partial[2]), from);
                ref var emaVal = ref Unsafe.Add(ref MemoryMarshal.GetReference(_emaVals), outputFrom);
                ref var emaCol = ref Unsafe.Add(ref MemoryMarshal.GetReference(_emaCols), outputFrom);
                ref var storedLane = ref Unsafe.Add(ref MemoryMarshal.GetReference(_storedLanes), store ? outputFrom : 0);
                var a = (ulong)activeStake;
                var a8 = Vector512.Create(a);
                var alpha8 = Vector512.Create((ulong)alphaBits);
                var keep8 = Vector512.Create((ulong)keepBits);
                var column8 = Vector512<ulong>.Indices + Vector512.Create((ulong)from);
                var step8 = Vector512.Create((ulong)Vector512<ulong>.Count);
                var trust8 = Vector512<ulong>.Zero;
                var zero8 = Vector512<ulong>.Zero;
                var k = 0;
                for (; k <= count - Vector512<ulong>.Count; k += Vector512<ulong>.Count, column8 += step8)
                {
                    var offset = (nuint)k;
                    var weight8 = Vector512.LoadUnsafe(ref w, offset).AsUInt64();
                    var kept8 = Vector512.Min(weight8, Vector512.LoadUnsafe(ref c, offset).AsUInt64()); // both in [0, 2^32]
                    trust8 += kept8;
                    (Vector512.LoadUnsafe(ref rank, offset).AsUInt64() + MulProportions(a8, kept8)).AsInt64().StoreUnsafe(ref rank, offset);
                    var bond8 = MulProportions(alpha8, keptAsWeight ? kept8 : weight8);
                    if (hasBonds)
                        bond8 += MulProportions(keep8, U16ProportionToFixed((Vector512.LoadUnsafe(ref b, offset) >> 32) & Vector512.Create(0xFFFFUL)));
                    zero8 |= Vector512.Equals(bond8, Vector512<ulong>.Zero);
                    bond8.AsInt64().StoreUnsafe(ref emaVal, offset);
                    (Vector512.LoadUnsafe(ref total, offset).AsUInt64() + bond8).AsInt64().StoreUnsafe(ref total, offset);
                    Vector512.Narrow(column8, column8).GetLower().AsInt32().StoreUnsafe(ref emaCol, offset);
                    if (store) (column8 | (((bond8 * Vector512.Create(65535UL)) >> 32) << 32)).StoreUnsafe(ref storedLane, offset);
                }
                var trust = (long)Vector512.Sum(trust8);
                var zero = zero8 != Vector512<ulong>.Zero;
                for (; k < count; k++)
                {
                    var weight = Unsafe.Add(ref w, k);
                    var kept = Clip(weight, Unsafe.Add(ref c, k));
                    trust += kept;
                    Unsafe.Add(ref rank, k) += I32F32.MulProportions((long)a, kept);
                    var bond = Bond(alphaBits, keepBits, keptAsWeight ? kept : weight, hasBonds ? (ushort)(Unsafe.Add(ref b, k) >> 32) : null);
                    zero |= bond == 0;
                    Unsafe.Add(ref emaVal, k) = bond;
                    Unsafe.Add(ref total, k) += bond;
                    Unsafe.Add(ref emaCol, k) = from + k;
                    if (store) Unsafe.Add(ref storedLane, k) = (uint)(from + k) | ((ulong)Conversions.FixedProportionToU16(new(bond)) << 32);
                }
                Trust += trust;
                return zero;
            }
        }

        /// <summary>For <see cref="TryFullRowDividend"/>: each positive column total T's reciprocal ⌊2^64/T⌋
        /// (2^64 − 1 for T = 1); null where the division cannot go eight at a time (no AVX-512).</summary>
        internal static ulong[]? ColumnReciprocals(long[] totals)
        {
            if (!Avx512F.IsSupported || !Vector512.IsHardwareAccelerated) return null;
            var reciprocals = new ulong[totals.Length];
            for (var j = 0; j < totals.Length; j++)
                if (totals[j] > 0) reciprocals[j] = totals[j] == 1 ? ulong.MaxValue : (ulong)((UInt128.One << 64) / (ulong)totals[j]);
            return reciprocals;
        }

        /// <summary>
        /// Row i's Σ_j (B_ij / T_j)·incentive_j (as the dividends loop sums it: each share <see cref="DivideByColumnTotal"/>,
        /// each product <see cref="I32F32.MulProportions"/>) eight cells at a time, for an EMA row on every column, or
        /// every column but i (the rows <see cref="TryFullRow"/> writes in a dense subnet); null for any other row.
        /// The share is (B·2^32)/T. With r = ⌊2^64/T⌋ (see <see cref="ColumnReciprocals"/>), ⌊B·2^32·r / 2^64⌋ =
        /// B·r_hi + ⌊B·r_lo / 2^32⌋ (r = r_hi·2^32 + r_lo; two 32 × 32-bit products) is the quotient or one less, for
        /// the same reason as in <see cref="NormalizedRun"/>, and the remainder settles which (it is below 2T, so its 64
        /// bits are exact). A group holding a bond of 1 (B = 2^32: B·2^32 needs 65 bits) is summed cell by cell.
        /// </summary>
        private long? TryFullRowDividend(int i, ulong[] reciprocals, long[] totals, long[] incentive)
        {
            var ema = ws.Ema;
            var (start, length) = (ema.Start[i], ema.Length[i]);
            var cols = ema.Col;
            // the EMA row's columns are sorted and distinct, below n (without liquid alpha): with n cells, every column
            if (length == n) return DividendRun(ema.Val.AsSpan(start, n), 0, reciprocals, totals, incentive);
            // with n − 1, every column but i exactly when cell i − 1 is on i − 1 and cell i on i + 1
            if (length != n - 1 || (i > 0 && cols[start + i - 1] != i - 1) || (i < n - 1 && cols[start + i] != i + 1)) return null;
            return DividendRun(ema.Val.AsSpan(start, i), 0, reciprocals, totals, incentive)
                + DividendRun(ema.Val.AsSpan(start + i, n - 1 - i), i + 1, reciprocals, totals, incentive);
        }

        /// <summary>The dividend sum of EMA cells <paramref name="bonds"/> on columns from <paramref name="from"/> on.</summary>
        internal static long DividendRun(ReadOnlySpan<long> bonds, int from, ulong[] reciprocals, long[] totals, long[] incentive)
        {
            var sum8 = Vector512<ulong>.Zero;
            long sum = 0;
            var k = 0;
            for (; k + 8 <= bonds.Length; k += 8)
            {
                var b8 = Vector512.Create(bonds.Slice(k, 8)).AsUInt64();
                if (Vector512.GreaterThanOrEqualAny(b8, Vector512.Create(1UL << 32)))
                {
                    for (var l = k; l < k + 8; l++) sum += Dividend(bonds[l], totals[from + l], incentive[from + l]);
                    continue;
                }
                var t8 = Vector512.Create(totals.AsSpan(from + k, 8)).AsUInt64();
                var r8 = Vector512.Create(reciprocals.AsSpan(from + k, 8));
                var q8 = Avx512F.Multiply(b8.AsUInt32(), (r8 >> 32).AsUInt32()) + (Avx512F.Multiply(b8.AsUInt32(), r8.AsUInt32()) >> 32);
                var remainder8 = (b8 << 32) - q8 * t8;
                q8 -= Vector512.GreaterThanOrEqual(remainder8, t8); // true is all ones: −1
                sum8 += MulProportions(q8, Vector512.Create(incentive.AsSpan(from + k, 8)).AsUInt64());
            }
            for (; k < bonds.Length; k++) sum += Dividend(bonds[k], totals[from + k], incentive[from + k]);
            return sum + (long)Vector512.Sum(sum8);
        }

        /// <summary>One cell's B_ij = α·w + (1 − α)·b outside the vectors, w the weight for bonds and b the stored u16 bond
        /// as a proportion (none: 0).</summary>
        private static long Bond(long alphaBits, long keepBits, long weightForBonds, ushort? stored) =>
            I32F32.MulProportions(alphaBits, weightForBonds)
            + (stored is ushort b ? I32F32.MulProportions(keepBits, Conversions.U16ProportionToFixed(b).Bits) : 0);

        /// <summary>⌊a·b⌋ per lane for proportions (<see cref="I32F32.MulProportions"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<ulong> MulProportions(Vector512<ulong> a, Vector512<ulong> b) =>
            ((a * (b & Vector512.Create(0xFFFF_FFFFUL))) >> 32) + (a & (Vector512<ulong>.Zero - (b >> 32)));

        /// <summary><see cref="Conversions.U16ProportionToFixed"/> per lane: x·65537, plus 1 at 65535.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<ulong> U16ProportionToFixed(Vector512<ulong> x) =>
            x * Vector512.Create(65537UL) + (Vector512.Equals(x, Vector512.Create(65535UL)) & Vector512<ulong>.One);

        /// <summary>Whether the k-th stored entry's uid is first + k for every k (lanes as in <see cref="TryFullRow"/>).</summary>
        private static bool IsEveryUidInOrder(ReadOnlySpan<ulong> lanes, int first)
        {
            var index = Vector512<ulong>.Indices + Vector512.Create((ulong)first);
            var step = Vector512.Create((ulong)Vector512<ulong>.Count);
            var uid = Vector512.Create(0xFFFF_FFFFUL);
            var k = 0;
            for (; k <= lanes.Length - Vector512<ulong>.Count; k += Vector512<ulong>.Count, index += step)
                if ((Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(lanes), (nuint)k) & uid) != index) return false;
            for (; k < lanes.Length; k++) if ((lanes[k] & 0xFFFF_FFFFUL) != (ulong)(first + k)) return false;
            return true;
        }
    }
}
