using System.Collections.Concurrent;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// Concurrent identical calls share one: the first caller for a key starts it, later callers wait for the same task
/// until it completes; then the key is free again (nothing is kept beyond the call). Each caller stops waiting on its
/// own token, so one cancelled caller does not fail the others; the shared call is cancelled only when every caller
/// waiting for it has given up (a lone client that disconnects still cancels its read). A caller arriving after that
/// starts a new call.
/// </summary>
internal sealed class SingleFlight<T>
{
    private readonly ConcurrentDictionary<string, Flight> _calls = new(StringComparer.Ordinal);

    public Task<T> RunAsync(string key, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        while (true)
        {
            if (_calls.TryGetValue(key, out var running))
            {
                if (running.TryJoin())
                {
                    return running.WaitAsync(cancellationToken);
                }

                // Every caller of that one left and it is being cancelled: it is no longer shared.
                _calls.TryRemove(new KeyValuePair<string, Flight>(key, running));
                continue;
            }

            var flight = new Flight();
            if (_calls.TryAdd(key, flight))
            {
                _ = flight.RunAsync(call, () => _calls.TryRemove(new KeyValuePair<string, Flight>(key, flight)));
                return flight.WaitAsync(cancellationToken);
            }

            flight.Dispose();
        }
    }

    /// <summary>One shared call and the callers waiting for it (disposed when the call ends).</summary>
    private sealed class Flight : IDisposable
    {
        private readonly Lock _sync = new();
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenSource? _cancel = new();
        private int _waiters = 1;
        private bool _abandoned;

        public bool TryJoin()
        {
            lock (_sync)
            {
                if (_abandoned)
                {
                    return false;
                }

                _waiters++;
                return true;
            }
        }

        public async Task<T> WaitAsync(CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled)
            {
                return await _completion.Task.ConfigureAwait(false);
            }

            try
            {
                return await _completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Leave();
                throw;
            }
        }

        public async Task RunAsync(Func<CancellationToken, Task<T>> call, Action release)
        {
            CancellationToken token;
            lock (_sync)
            {
                token = _cancel!.Token;
            }

            try
            {
                var result = await call(token).ConfigureAwait(false);
                Finish(release);
                _completion.TrySetResult(result);
            }
            catch (OperationCanceledException ex)
            {
                Finish(release);
                _completion.TrySetCanceled(ex.CancellationToken);
            }
            catch (Exception ex)
            {
                Finish(release);
                _completion.TrySetException(ex);
            }
        }

        private void Leave()
        {
            lock (_sync)
            {
                if (--_waiters > 0 || _cancel is null)
                {
                    return;
                }

                _abandoned = true;
                _cancel.Cancel();
            }
        }

        public void Dispose()
        {
            lock (_sync)
            {
                _abandoned = true;
                _cancel?.Dispose();
                _cancel = null;
            }
        }

        private void Finish(Action release)
        {
            release();
            Dispose();
        }
    }
}
