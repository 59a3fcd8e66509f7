using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Bittensor.Consensus;

/// <summary>
/// The memory one <see cref="Epoch.Run(Hyperparameters, EpochState, EpochWorkspace)"/> works in, kept between epochs so
/// that a node running many epochs allocates its large buffers once (a fresh 200 MB array costs more than the epoch
/// pass that fills it). Buffers only grow. One epoch at a time per workspace: a second concurrent use throws.
/// </summary>
public sealed class EpochWorkspace
{
    /// <summary>W, the masked and row-normalised weights; each row in ascending column order (duplicates keep their
    /// submission order).</summary>
    internal readonly RowBuffer Weights = new();
    /// <summary>W in submission order: only the liquid-alpha bonds read it (the chain's lookup depends on that order).</summary>
    internal readonly RowBuffer WeightsInSubmissionOrder = new();
    /// <summary>The rule-specific intermediate rows: the stake-scaled weights for bonds (original bonds).</summary>
    internal readonly RowBuffer Scaled = new();
    /// <summary>The EMA bonds.</summary>
    internal readonly RowBuffer Ema = new();

    /// <summary>How long the last epoch run in this workspace took, per pass (for profiling; see the bench's
    /// <c>profile</c>).</summary>
    public EpochPassTimes LastPassTimes { get; internal set; }

    /// <summary>Passes over fewer cells than this run on the calling thread (tests set 0 to split every pass).</summary>
    internal long ParallelThreshold { get; init; } = 1 << 16;

    /// <summary>Whether the masking, the consensus, the bonds pass and the dividends may take their paths for full rows
    /// (tests turn them off to compare with the general paths).</summary>
    internal bool FullRowPaths { get; init; } = true;

    /// <summary>How many rows the last epoch's bonds pass took through its full-row path (so that tests can tell that
    /// they exercise it).</summary>
    internal int FullRowsInLastEpoch;

    /// <summary>Whether the last epoch's consensus took its full-row path (<c>Epoch.ConsensusOfFullRows</c>).</summary>
    internal bool FullRowConsensusInLastEpoch;

    /// <summary>The last epoch's consensus in I32F32 bits (tests compare paths on it: the output's u16 rounding could
    /// hide a difference).</summary>
    internal long[] LastConsensus = [];

    private readonly ConcurrentBag<RowScratch> _scratch = [];
    private readonly ConcurrentBag<Epoch.ColumnScratch> _columnScratch = [];
    private readonly ConcurrentBag<Epoch.HistogramScratch> _histogramScratch = [];
    private int _inUse;

    internal void Enter()
    {
        if (Interlocked.Exchange(ref _inUse, 1) != 0)
            throw new InvalidOperationException("this EpochWorkspace is already running an epoch; use one workspace per concurrent epoch");
    }

    internal void Exit() => Volatile.Write(ref _inUse, 0);

    /// <summary>A per-task scratch sized for n columns and rows of up to <paramref name="rowCapacity"/> cells.</summary>
    internal RowScratch RentScratch(int n, int rowCapacity)
    {
        var scratch = _scratch.TryTake(out var s) ? s : new RowScratch();
        scratch.Ensure(n, rowCapacity);
        return scratch;
    }

    internal void Return(RowScratch scratch) => _scratch.Add(scratch);

    /// <summary>A per-task consensus scratch for <paramref name="voters"/> voters and blocks of
    /// <paramref name="block"/> columns.</summary>
    internal Epoch.ColumnScratch RentColumnScratch(int voters, int block)
    {
        var scratch = _columnScratch.TryTake(out var s) ? s : new Epoch.ColumnScratch();
        scratch.Ensure(voters, block);
        return scratch;
    }

    internal void Return(Epoch.ColumnScratch scratch) => _columnScratch.Add(scratch);

    /// <summary>A per-task scratch for the full-row consensus over <paramref name="voters"/> voters.</summary>
    internal Epoch.HistogramScratch RentHistogramScratch(int voters)
    {
        var scratch = _histogramScratch.TryTake(out var s) ? s : new Epoch.HistogramScratch();
        scratch.Ensure(voters);
        return scratch;
    }

    internal void Return(Epoch.HistogramScratch scratch) => _histogramScratch.Add(scratch);
}

/// <summary>The wall time of one epoch's passes: masking and sorting the weights (pass 1), the consensus (pass 2), the
/// bonds and dividends (passes 3 and 4), and the whole epoch.</summary>
public readonly record struct EpochPassTimes(TimeSpan Weights, TimeSpan Consensus, TimeSpan Bonds, TimeSpan Total);

/// <summary>
/// Rows of (column, I32F32 bits) cells: row i's cells are <c>Col/Val[Start[i] .. Start[i] + Length[i])</c>; the
/// capacity reserved for row i ends at <c>Start[i + 1]</c>, so rows can be written in parallel.
/// </summary>
internal sealed class RowBuffer
{
    public int Rows;
    public int[] Start = [0];
    public int[] Length = [];
    /// <summary>Whether row i holds every column below <see cref="Rows"/> once, in order, but perhaps i itself (set by
    /// the writer that knows it; false otherwise).</summary>
    public bool[] Full = [];
    public int[] Col = [];
    public long[] Val = [];

    /// <summary>Reserves <paramref name="capacityOf"/>(i) cells for each of <paramref name="rows"/> rows, all empty.</summary>
    public void Reset(int rows, Func<int, long> capacityOf)
    {
        Rows = rows;
        if (Start.Length < rows + 1) Start = new int[rows + 1];
        if (Length.Length < rows) { Length = new int[rows]; Full = new bool[rows]; }
        long total = 0;
        for (var i = 0; i < rows; i++)
        {
            Start[i] = (int)total;
            Length[i] = 0;
            Full[i] = false;
            total += capacityOf(i);
            if (total > Array.MaxLength)
                throw new InvalidOperationException($"an epoch over more than {Array.MaxLength} weight or bond cells is not supported");
        }
        Start[rows] = (int)total;
        if (Col.Length < total)
        {
            // grow by a quarter more than needed; uninitialised: every cell is written before it is read
            var size = (int)Math.Min(Array.MaxLength, total + total / 4);
            Col = GC.AllocateUninitializedArray<int>(size);
            Val = GC.AllocateUninitializedArray<long>(size);
        }
    }

    public int End(int row) => Start[row] + Length[row];
}

/// <summary>One task's scratch: two dense per-column arrays with a touched list, a counting-sort table, row-sized cell
/// buffers and four per-column partial sums.</summary>
internal sealed class RowScratch
{
    public int Columns = -1;
    public long[] Dense = [];
    public long[] Dense2 = [];
    public int[] Stamp = [];
    public int[] Touched = [];
    public int TouchedCount;
    public int[] Count = [];
    public int[] CellCol = [];
    public long[] CellVal = [];
    public long[] Keys = [];
    public int[] OtherCol = [];
    public long[] OtherVal = [];
    public int[] SortedCol = [];
    public long[] SortedVal = [];
    /// <summary>Per-column partial sums (or maxima) of this task's rows, combined after the pass.</summary>
    public long[][] Partial = [];
    private int _stamp;

    public void Ensure(int n, int rowCapacity)
    {
        if (Columns != n)
        {
            Columns = n;
            Dense = new long[n];
            Dense2 = new long[n];
            Stamp = new int[n];
            Touched = new int[n];
            Count = new int[n + 1];
            Partial = [new long[n], new long[n], new long[n], new long[n]];
            _stamp = 0;
        }
        if (CellCol.Length < rowCapacity)
        {
            CellCol = new int[rowCapacity];
            CellVal = new long[rowCapacity];
            Keys = new long[rowCapacity];
            OtherCol = new int[rowCapacity];
            OtherVal = new long[rowCapacity];
            SortedCol = new int[rowCapacity];
            SortedVal = new long[rowCapacity];
        }
    }

    /// <summary>Starts a new set of touched columns (the stamp replaces clearing the dense arrays).</summary>
    public void BeginRow()
    {
        if (_stamp == int.MaxValue) { Array.Clear(Stamp); _stamp = 0; }
        _stamp++;
        TouchedCount = 0;
    }

    /// <summary>Marks column j touched in this row; true the first time (its dense slots are then stale).</summary>
    public bool Touch(int j)
    {
        if (Stamp[j] == _stamp) return false;
        Stamp[j] = _stamp;
        Touched[TouchedCount++] = j;
        return true;
    }

    /// <summary>Marks column j in this row without listing it; true the first time.</summary>
    public bool Mark(int j)
    {
        if (Stamp[j] == _stamp) return false;
        Stamp[j] = _stamp;
        return true;
    }

    /// <summary>Whether column j is marked (or touched) in this row.</summary>
    public bool IsMarked(int j) => Stamp[j] == _stamp;

    /// <summary>The touched columns in ascending order, in <see cref="Touched"/>[0..<see cref="TouchedCount"/>): a sort
    /// when few, otherwise a scan of all n columns (cheaper than sorting a dense row).</summary>
    public void SortTouched()
    {
        if ((long)TouchedCount * 8 < Columns) { Array.Sort(Touched, 0, TouchedCount); return; }
        var k = 0;
        for (var j = 0; j < Columns; j++) if (Stamp[j] == _stamp) Touched[k++] = j;
    }

    /// <summary>Copies cells <c>fromCol/fromVal[0..count)</c> to <paramref name="col"/>/<paramref name="val"/> at
    /// <paramref name="at"/> in ascending column order, cells of one column kept in their given order (stable). Every
    /// column must be below n; the target must not be the source.</summary>
    public void StableSortByColumn(int[] fromCol, long[] fromVal, int count, int[] col, long[] val, int at)
    {
        if ((long)count * 8 < Columns)
        {
            // few cells: a comparison sort of (column, position) keys
            for (var k = 0; k < count; k++) Keys[k] = ((long)fromCol[k] << 32) | (uint)k;
            Array.Sort(Keys, 0, count);
            for (var k = 0; k < count; k++)
            {
                var from = (int)(Keys[k] & uint.MaxValue);
                col[at + k] = fromCol[from];
                val[at + k] = fromVal[from];
            }
            return;
        }
        // many cells: a counting sort over the n columns
        Array.Clear(Count);
        for (var k = 0; k < count; k++) Count[fromCol[k] + 1]++;
        for (var j = 0; j < Columns; j++) Count[j + 1] += Count[j];
        for (var k = 0; k < count; k++)
        {
            var to = at + Count[fromCol[k]]++;
            col[to] = fromCol[k];
            val[to] = fromVal[k];
        }
    }
}

/// <summary>Runs row or column ranges on the thread pool when the work is large enough to pay for it.</summary>
internal static class Parallelism
{
    /// <summary>Splits [0, count) into ranges of about equal work (by <paramref name="workOf"/>) and runs
    /// <paramref name="body"/>(from, to) on each, in parallel when the total work reaches <paramref name="threshold"/>;
    /// an exception from any range is rethrown as itself.</summary>
    public static void ForRanges(long threshold, int count, Func<int, long> workOf, Action<int, int> body)
    {
        long total = 0;
        for (var i = 0; i < count; i++) total += workOf(i);
        var parts = total < threshold ? 1 : Math.Min(count, Environment.ProcessorCount * 4);
        if (parts <= 1) { body(0, count); return; }
        var bounds = new int[parts + 1];
        long running = 0;
        var part = 1;
        for (var i = 0; i < count && part < parts; i++)
        {
            running += workOf(i);
            while (part < parts && running * parts >= total * part) bounds[part++] = i + 1;
        }
        while (part <= parts) bounds[part++] = count;
        try
        {
            Parallel.For(0, parts, p => { if (bounds[p] < bounds[p + 1]) body(bounds[p], bounds[p + 1]); });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
