using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Nabla.Data;

/// <summary>Reads a sequence on a background thread, at most <c>depth</c> items ahead of the reader.</summary>
internal sealed class PrefetchQueue<T> : IDisposable
{
    private readonly BlockingCollection<T> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private Exception? _error;

    public PrefetchQueue(IEnumerable<T> source, int depth)
    {
        _queue = new BlockingCollection<T>(depth);
        _producer = Task.Run(() =>
        {
            try
            {
                foreach (var item in source) _queue.Add(item, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
            catch (Exception e) { _error = e; }
            finally { _queue.CompleteAdding(); }
        });
    }

    /// <summary>The items in order; an exception the source threw is rethrown here, after the items read before it.</summary>
    public IEnumerable<T> Items()
    {
        foreach (var item in _queue.GetConsumingEnumerable()) yield return item;
        if (_error is not null) ExceptionDispatchInfo.Throw(_error);
    }

    /// <summary>Stops the background reader (a pass left early) and waits for it.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _producer.Wait();
        _queue.Dispose();
        _stop.Dispose();
    }
}
