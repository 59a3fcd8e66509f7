namespace Bittensor.Axon;

/// <summary>Thrown when the queue of requests waiting for a forward slot is full (HTTP 503).</summary>
public sealed class QueueFullException(string message) : Exception(message);

/// <summary>
/// At most <c>slots</c> forwards at once; the rest wait in one queue ordered by priority (highest first, then
/// arrival). A waiter that runs out of time leaves the queue (<see cref="TimeoutException"/>, HTTP 408); a full queue
/// refuses at once (<see cref="QueueFullException"/>, HTTP 503). Unlike the SDK's axon, where priority only orders a
/// no-op, here it really orders who runs next.
/// </summary>
public sealed class PriorityGate(int slots, int maxQueued)
{
    private readonly object _lock = new();
    private readonly PriorityQueue<TaskCompletionSource, (double NegatedPriority, long Arrival)> _queue = new();
    private readonly int _slots = slots;
    private int _free = slots;
    private long _arrivals;

    public int Waiting { get { lock (_lock) return _queue.Count; } }

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(double priority, TimeSpan wait, CancellationToken cancel)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_free > 0) { _free--; return new Slot(this); }
            if (_queue.Count >= maxQueued) DropLeftWaiters();
            if (_queue.Count >= maxQueued) throw new QueueFullException($"{maxQueued} requests are already waiting for one of {_slots} forward slots");
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Enqueue(waiter, (double.IsNaN(priority) ? 0 : -priority, _arrivals++));
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(wait);
        await using (timeout.Token.Register(() => waiter.TrySetCanceled()))
        {
            try { await waiter.Task; }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new TimeoutException($"no forward slot became free within {wait.TotalSeconds:0.###} s");
            }
        }
        return new Slot(this);
    }

    /// <summary>Removes waiters that timed out or were cancelled (they are otherwise skipped lazily).</summary>
    private void DropLeftWaiters()
    {
        var live = _queue.UnorderedItems.Where(e => !e.Element.Task.IsCompleted).ToArray();
        _queue.Clear();
        foreach (var (element, priority) in live) _queue.Enqueue(element, priority);
    }

    private void Release()
    {
        lock (_lock)
        {
            // hand the slot to the best waiter still waiting; cancelled ones are skipped
            while (_queue.TryDequeue(out var next, out _))
                if (next.TrySetResult()) return;
            _free++;
        }
    }

    private sealed class Slot(PriorityGate gate) : IDisposable
    {
        private int _released;
        public void Dispose() { if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release(); }
    }
}
