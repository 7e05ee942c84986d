using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Kissmetrics.Typed.Tests.Infrastructure;

/// <summary>
/// The cheapest possible HTTP/1.1 peer on <c>127.0.0.1</c>, for allocation measurements in this process: a thread per
/// connection, blocking reads, one canned answer per request head (bodyless GETs only), written in batches. It
/// allocates nothing per request, so whatever a measurement sees is the client's. Loopback only.
/// </summary>
public sealed class CannedHttpServer : IDisposable
{
    private const int Batch = 64;

    private readonly Socket _listener;
    private readonly byte[] _answers;
    private readonly int _answerLength;
    private readonly List<Socket> _accepted = new();
    private readonly Thread _acceptThread;
    private long _requests;
    private volatile bool _stopping;

    private CannedHttpServer(string answer)
    {
        byte[] one = Encoding.ASCII.GetBytes(answer);
        _answerLength = one.Length;
        _answers = new byte[one.Length * Batch];
        for (int i = 0; i < Batch; i++)
        {
            one.CopyTo(_answers, i * one.Length);
        }

        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        BaseAddress = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndPoint!).Port + "/");
        _acceptThread = new Thread(Accept) { IsBackground = true, Name = "canned-accept" };
        _acceptThread.Start();
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>How many request heads were answered.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Starts a server answering every request with <paramref name="answer"/>.</summary>
    public static CannedHttpServer Start(string answer = "HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nContent-Length: 3\r\n\r\nGIF") => new(answer);

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping = true;
        _listener.Dispose();
        lock (_accepted)
        {
            foreach (Socket socket in _accepted)
            {
                socket.Dispose();
            }
        }

        _acceptThread.Join(TimeSpan.FromSeconds(5));
    }

    private void Accept()
    {
        while (!_stopping)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (Exception)
            {
                return;
            }

            socket.NoDelay = true;
            lock (_accepted)
            {
                _accepted.Add(socket);
            }

            new Thread(() => Serve(socket)) { IsBackground = true, Name = "canned-connection" }.Start();
        }
    }

    private void Serve(Socket socket)
    {
        byte[] buffer = new byte[64 * 1024];
        int matched = 0; // how much of "\r\n\r\n" the last bytes matched
        try
        {
            while (true)
            {
                int read = socket.Receive(buffer);
                if (read == 0)
                {
                    return;
                }

                int heads = 0;
                for (int i = 0; i < read; i++)
                {
                    byte b = buffer[i];
                    matched = b == (byte)(matched is 0 or 2 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
                    if (matched == 4)
                    {
                        heads++;
                        matched = 0;
                    }
                }

                Interlocked.Add(ref _requests, heads);
                while (heads > 0)
                {
                    int now = Math.Min(heads, Batch);
                    socket.Send(_answers, 0, now * _answerLength, SocketFlags.None);
                    heads -= now;
                }
            }
        }
        catch (Exception)
        {
            // The client closed, or the server is stopping.
        }
    }
}
