using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of a server (PostgreSQL), so a test can take the database away from one site and give
/// it back, without stopping the server other tests share. <see cref="Cut"/> refuses new connections and breaks the
/// open ones, as a stopped server does; <see cref="Restore"/> listens again on the same port.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();

    public TcpProxy(string host, int port)
    {
        _host = host;
        _port = port;
        Listen(0);
    }

    public int Port { get; private set; }

    private void Listen(int port)
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_listener, _stop.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stop);
            }
            catch (Exception) when (stop.IsCancellationRequested || true)
            {
                return;
            }
            _ = RelayAsync(client, stop);
        }
    }

    private async Task RelayAsync(Socket client, CancellationToken stop)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(_host, _port, stop);
            await using var a = new NetworkStream(client, ownsSocket: false);
            await using var b = new NetworkStream(upstream, ownsSocket: false);
            await Task.WhenAny(a.CopyToAsync(b, stop), b.CopyToAsync(a, stop));
        }
        catch (Exception)
        {
            // A cut, or either side closing: the other side is closed below.
        }
        finally
        {
            foreach (var socket in new[] { client, upstream })
            {
                _open.TryRemove(socket, out _);
                try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
                socket.Dispose();
            }
        }
    }

    /// <summary>The database goes away: no new connections, and every open one is broken.</summary>
    public void Cut()
    {
        _stop.Cancel();
        _listener?.Stop();
        foreach (var socket in _open.Keys)
        {
            try { socket.Close(0); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>The database is back, at the same address.</summary>
    public void Restore() => Listen(Port);

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
