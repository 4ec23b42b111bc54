using System.Text;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>Copies everything written to <see cref="Console.Out"/> and <see cref="Console.Error"/> while alive. Use only in non-parallel fixtures.</summary>
public sealed class ConsoleCapture : IDisposable
{
    private readonly TextWriter _originalOut = Console.Out;
    private readonly TextWriter _originalError = Console.Error;
    private readonly StringWriter _captured = new();

    public ConsoleCapture()
    {
        Console.SetOut(TextWriter.Synchronized(new TeeWriter(_captured, _originalOut)));
        Console.SetError(TextWriter.Synchronized(new TeeWriter(_captured, _originalError)));
    }

    public string Text
    {
        get
        {
            lock (_captured)
            {
                return _captured.ToString();
            }
        }
    }

    public void Dispose()
    {
        Console.SetOut(_originalOut);
        Console.SetError(_originalError);
    }

    private sealed class TeeWriter(StringWriter capture, TextWriter original) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (capture)
            {
                capture.Write(value);
            }

            original.Write(value);
        }

        public override void Write(string? value)
        {
            lock (capture)
            {
                capture.Write(value);
            }

            original.Write(value);
        }
    }
}
