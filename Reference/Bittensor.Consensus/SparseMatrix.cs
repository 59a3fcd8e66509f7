namespace Bittensor.Consensus;

/// <summary>
/// A sparse I32F32 matrix in compressed-row form: row i's cells are <c>Col[Start[i]..Start[i+1]]</c> and
/// <c>Val[…]</c> (raw I32F32 bits), in stored order (weights keep submission order, which the chain's liquid-alpha
/// lookup depends on). The arrays may be longer than the <see cref="Count"/> cells in use (no copy when building).
/// Mirrors the spec's <c>Sparse.Matrix</c>.
/// </summary>
public sealed class SparseMatrix
{
    public readonly int Rows;
    public readonly int[] Start;
    public readonly int[] Col;
    public readonly long[] Val;

    public SparseMatrix(int rows, int[] start, int[] col, long[] val)
    {
        Rows = rows;
        Start = start;
        Col = col;
        Val = val;
    }

    public int RowLength(int row) => Start[row + 1] - Start[row];

    /// <summary>The number of cells in use.</summary>
    public int Count => Start[Rows];

    /// <summary>Appends rows one cell at a time; <see cref="EndRow"/> closes each row.</summary>
    public sealed class Builder
    {
        private readonly List<int> _start = [0];
        private int[] _col;
        private long[] _val;
        private int _count;

        public Builder(int capacity)
        {
            _col = new int[Math.Max(capacity, 4)];
            _val = new long[Math.Max(capacity, 4)];
        }

        public void Add(int col, long val)
        {
            if (_count == _col.Length)
            {
                Array.Resize(ref _col, _count * 2);
                Array.Resize(ref _val, _count * 2);
            }
            _col[_count] = col;
            _val[_count] = val;
            _count++;
        }

        public void EndRow() => _start.Add(_count);

        public SparseMatrix Build() => new(_start.Count - 1, [.. _start], _col, _val);
    }
}
