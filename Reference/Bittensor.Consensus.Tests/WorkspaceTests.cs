using System.Collections.Concurrent;
using Xunit;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// The contracts the epoch's passes rely on but cannot show in their results: every row handed to exactly one task,
/// ranges of about equal work, small passes kept on the calling thread, exceptions rethrown as themselves, row buffers
/// laid out back to back with bounded growth, and both row sorts stable.
/// </summary>
public class WorkspaceTests
{
    private static List<(int From, int To)> Ranges(long threshold, int count, Func<int, long> workOf)
    {
        var ranges = new ConcurrentBag<(int, int)>();
        Parallelism.ForRanges(threshold, count, workOf, (from, to) => ranges.Add((from, to)));
        return ranges.OrderBy(r => r.Item1).ToList();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Every_row_is_in_exactly_one_range_and_no_range_is_empty(int count)
    {
        var ranges = Ranges(0, count, i => i % 5 + 1);
        Assert.All(ranges, r => Assert.True(r.From < r.To, $"empty range [{r.From}, {r.To})"));
        Assert.Equal(0, ranges[0].From);
        Assert.Equal(count, ranges[^1].To);
        for (var k = 1; k < ranges.Count; k++) Assert.Equal(ranges[k - 1].To, ranges[k].From);
    }

    [Fact]
    public void Ranges_carry_about_equal_work()
    {
        // rows 0–99 are heavy (work 100), the rest light (work 1): an even split by rows would be badly unbalanced
        long WorkOf(int i) => i < 100 ? 100 : 1;
        const int count = 10_000;
        var ranges = Ranges(0, count, WorkOf);
        var parts = Math.Min(count, Environment.ProcessorCount * 4);
        Assert.Equal(parts, ranges.Count);
        var total = Enumerable.Range(0, count).Sum(i => WorkOf(i));
        foreach (var (from, to) in ranges)
        {
            var work = Enumerable.Range(from, to - from).Sum(i => WorkOf(i));
            // a range overshoots its share by at most one row, and falls short of it by at most one row
            Assert.InRange(work, total / parts - 100, total / parts + 100);
        }
    }

    [Fact]
    public void Work_below_the_threshold_runs_once_on_the_calling_thread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var calls = new List<(int, int, int)>();
        Parallelism.ForRanges(1000, 10, _ => 99, (from, to) => calls.Add((from, to, Environment.CurrentManagedThreadId)));
        Assert.Equal([(0, 10, caller)], calls);
        // at the threshold it splits (into min(10, 4 · cores) ranges)
        Assert.Equal(Math.Min(10, Environment.ProcessorCount * 4), Ranges(990, 10, _ => 99).Count);
    }

    [Fact]
    public void An_exception_from_a_range_is_rethrown_as_itself()
    {
        var thrown = Assert.Throws<OverflowException>(() =>
            Parallelism.ForRanges(0, 100, _ => 1, (from, _) => { if (from > 0) throw new OverflowException($"range from {from}"); }));
        Assert.StartsWith("range from ", thrown.Message);
    }

    [Fact]
    public void A_row_buffer_lays_rows_out_back_to_back_and_grows_by_a_quarter()
    {
        var buffer = new RowBuffer();
        buffer.Reset(4, i => i * 10);
        Assert.Equal([0, 0, 10, 30, 60], buffer.Start[..5]);
        Assert.All(buffer.Length[..4], length => Assert.Equal(0, length));
        Assert.Equal(60 + 60 / 4, buffer.Col.Length);
        Assert.Equal(buffer.Col.Length, buffer.Val.Length);
        buffer.Length[2] = 7;
        Assert.Equal(17, buffer.End(2));

        // a smaller reset keeps the arrays and empties the rows
        var (col, val) = (buffer.Col, buffer.Val);
        buffer.Reset(2, _ => 5);
        Assert.Same(col, buffer.Col);
        Assert.Same(val, buffer.Val);
        Assert.Equal(2, buffer.Rows);
        Assert.Equal([0, 5, 10], buffer.Start[..3]);
        Assert.Equal([0, 0], buffer.Length[..2]);
    }

    [Fact]
    public void A_row_buffer_past_the_array_limit_is_refused_with_a_clear_error()
    {
        var buffer = new RowBuffer();
        var e = Assert.Throws<InvalidOperationException>(() => buffer.Reset(3, _ => Array.MaxLength / 2 + 1));
        Assert.Contains($"more than {Array.MaxLength} weight or bond cells", e.Message);
    }

    /// <summary>Cells (column, tag) where the tag records the submission position; both sorts must give ascending
    /// columns with equal columns in submission order.</summary>
    [Theory]
    [InlineData(64, 5)]      // few cells for the columns: the comparison sort
    [InlineData(64, 200)]    // many: the counting sort
    [InlineData(1000, 124)]  // just below the switch (124 · 8 < 1000)
    [InlineData(1000, 125)]  // at it
    public void Both_row_sorts_order_by_column_and_keep_duplicates_in_submission_order(int columns, int count)
    {
        var rng = new Random(columns * 31 + count);
        var scratch = new RowScratch();
        scratch.Ensure(columns, count);
        for (var k = 0; k < count; k++)
        {
            scratch.CellCol[k] = rng.Next(Math.Min(columns, count / 2 + 1)); // duplicates guaranteed
            scratch.CellVal[k] = k;
        }
        var expected = Enumerable.Range(0, count).Select(k => (scratch.CellCol[k], scratch.CellVal[k])).OrderBy(c => c.Item1).ToArray(); // OrderBy is stable
        var col = new int[count + 3];
        var val = new long[count + 3];
        scratch.StableSortByColumn(scratch.CellCol, scratch.CellVal, count, col, val, 3);
        Assert.Equal(expected, Enumerable.Range(3, count).Select(k => (col[k], val[k])).ToArray());
    }

    [Fact]
    public void Touched_columns_come_back_once_each_in_ascending_order_both_ways()
    {
        foreach (var (columns, touched) in new[] { (1000, new[] { 700, 3, 3, 999, 0 }), (16, new[] { 9, 2, 15, 2, 0, 9, 4 }) })
        {
            var scratch = new RowScratch();
            scratch.Ensure(columns, 1);
            scratch.BeginRow();
            Assert.Equal(touched.Select((j, k) => Array.IndexOf(touched, j) == k), touched.Select(scratch.Touch));
            scratch.SortTouched();
            Assert.Equal(touched.Distinct().Order(), scratch.Touched[..scratch.TouchedCount]);
            // a new row forgets the old one's columns
            scratch.BeginRow();
            Assert.True(scratch.Touch(touched[0]));
            scratch.SortTouched();
            Assert.Equal([touched[0]], scratch.Touched[..scratch.TouchedCount]);
        }
    }

    [Fact]
    public void A_workspace_hands_out_scratch_sized_for_the_request_and_takes_it_back()
    {
        var ws = new EpochWorkspace();
        var first = ws.RentScratch(50, 20);
        Assert.Equal(50, first.Columns);
        Assert.True(first.CellCol.Length >= 20);
        ws.Return(first);
        var again = ws.RentScratch(80, 30);
        Assert.Same(first, again);
        Assert.Equal(80, again.Columns);
        Assert.Equal(80, again.Dense.Length);
        Assert.Equal(81, again.Count.Length);
        Assert.True(again.CellCol.Length >= 30);
        Assert.NotSame(again, ws.RentScratch(80, 30)); // not returned yet: a second task gets its own
    }
}
