using Microsoft.Data.Sqlite;

namespace Bittensor.Chain;

/// <summary>
/// The chain on disk: SQLite in WAL mode with <c>synchronous = FULL</c>, so a block whose transaction committed survives
/// the process being killed at any moment. Tables: <c>meta</c> (the genesis configuration), <c>blocks</c> (header,
/// extrinsics and outcomes by number) and <c>snapshots</c> (the SCALE state every so many blocks, written in the same
/// transaction as its block). A restart restores the latest snapshot and replays the blocks after it.
/// </summary>
public sealed class ChainStore : IDisposable
{
    private readonly SqliteConnection _connection;

    public ChainStore(string path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = path == ":memory:" ? SqliteOpenMode.Memory : SqliteOpenMode.ReadWriteCreate, Pooling = false };
        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, header BLOB NOT NULL, body BLOB NOT NULL, outcomes BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS snapshots (number INTEGER PRIMARY KEY, state BLOB NOT NULL);
            """);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public GenesisConfig? ReadGenesis()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'genesis'";
        return command.ExecuteScalar() is byte[] bytes ? GenesisConfig.Decode(bytes) : null;
    }

    /// <summary>Appends a block (and, when given, the state after it) atomically. Also writes the genesis
    /// configuration with block 0.</summary>
    public void Append(Block block, byte[]? snapshot, GenesisConfig? genesis = null)
    {
        using var transaction = _connection.BeginTransaction();
        using (var command = _connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO blocks (number, hash, header, body, outcomes) VALUES ($n, $h, $header, $body, $outcomes)";
            command.Parameters.AddWithValue("$n", checked((long)block.Header.Number));
            command.Parameters.AddWithValue("$h", block.Hash());
            command.Parameters.AddWithValue("$header", block.Header.Encode());
            command.Parameters.AddWithValue("$body", block.EncodeBody());
            command.Parameters.AddWithValue("$outcomes", block.EncodeOutcomes());
            command.ExecuteNonQuery();
        }
        if (snapshot is not null)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR REPLACE INTO snapshots (number, state) VALUES ($n, $s)";
            command.Parameters.AddWithValue("$n", checked((long)block.Header.Number));
            command.Parameters.AddWithValue("$s", snapshot);
            command.ExecuteNonQuery();
        }
        if (genesis is not null)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO meta (key, value) VALUES ('genesis', $v)";
            command.Parameters.AddWithValue("$v", genesis.Encode());
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    public (ulong Number, byte[] State)? LatestSnapshot()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT number, state FROM snapshots ORDER BY number DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? ((ulong)reader.GetInt64(0), (byte[])reader[1]) : null;
    }

    /// <summary>Blocks numbered above <paramref name="after"/> (−1 for all), in order.</summary>
    public IEnumerable<Block> BlocksAfter(long after)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT header, body, outcomes FROM blocks WHERE number > $n ORDER BY number";
        command.Parameters.AddWithValue("$n", after);
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return Block.Decode((byte[])reader[0], (byte[])reader[1], (byte[])reader[2]);
    }

    public void Dispose() => _connection.Dispose();
}
