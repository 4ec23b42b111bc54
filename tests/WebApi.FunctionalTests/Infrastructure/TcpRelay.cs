using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of a server (Redis): the service under test connects to <see cref="Endpoint"/>. A test
/// cuts the line (<see cref="Cut"/>: open connections are reset, new ones refused) and mends it (<see cref="Mend"/>),
/// so an outage starts and ends exactly where the test says, without stopping the server other tests use.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    /// <param name="target">The server, <c>host:port</c>.</param>
    public TcpRelay(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var colon = target.LastIndexOf(':');
        _targetHost = target[..colon];
        _targetPort = int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Where to connect instead of the server, <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Resets every open connection and refuses new ones until <see cref="Mend"/>.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }
    }

    /// <summary>Relays new connections again.</summary>
    public void Mend() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (_stop.IsCancellationRequested && ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                Reset(client);
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The line was cut or the relay stopped.
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(server, out _);
            Reset(client);
            Reset(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
