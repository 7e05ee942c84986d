using System.Buffers;
using BenchmarkDotNet.Attributes;
using Kissmetrics.Typed.Serialization;

namespace Kissmetrics.Typed.Benchmarks;

/// <summary>
/// What one value of each kind costs the writer, ten per operation into a reused buffer: where the time of an event
/// goes. The values are those of the 10-property event (<see cref="Samples.SubscriptionStarted"/>) and the person.
/// </summary>
[MemoryDiagnoser]
public class ValueBenchmarks
{
    private const int Repeat = 10;

    private readonly ArrayBufferWriter<byte> _buffer = new(8192);

    // Fields, not constants: a decimal constant with a scale is a constructor call at every use.
    private decimal _wholeDecimal = 450m;
    private decimal _price = 127.45m;
    private double _ratio = 0.2;
    private double _doublePrice = 4.99;
    private long _count = 1_795_000_000;
    private string _shortText = "Lisbon";
    private string _textWithSpace = "Pro Annual";
    private string _longerText = "priority support";
    private string _email = Samples.Person;

    [Benchmark(Baseline = true, OperationsPerInvoke = Repeat, Description = "long 1795000000")]
    public int Int64()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteInt64Value(_count);
        }

        return End(ref writer);
    }

    [Benchmark(OperationsPerInvoke = Repeat, Description = "decimal 450")]
    public int WholeDecimal()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteDecimalValue(_wholeDecimal);
        }

        return End(ref writer);
    }

    [Benchmark(OperationsPerInvoke = Repeat, Description = "decimal 127.45")]
    public int Decimal()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteDecimalValue(_price);
        }

        return End(ref writer);
    }

    [Benchmark(OperationsPerInvoke = Repeat, Description = "double 0.2")]
    public int Ratio()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteDoubleValue(_ratio);
        }

        return End(ref writer);
    }

    [Benchmark(OperationsPerInvoke = Repeat, Description = "double 4.99")]
    public int DoublePrice()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteDoubleValue(_doublePrice);
        }

        return End(ref writer);
    }

    [Benchmark(OperationsPerInvoke = Repeat, Description = "string \"Lisbon\"")]
    public int ShortText()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteStringValue(_shortText);
        }

        return End(ref writer);
    }

    [Benchmark(OperationsPerInvoke = Repeat, Description = "string \"Pro Annual\"")]
    public int TextWithSpace()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteStringValue(_textWithSpace);
        }

        return End(ref writer);
    }

    [Benchmark(OperationsPerInvoke = Repeat, Description = "string \"priority support\"")]
    public int LongerText()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteStringValue(_longerText);
        }

        return End(ref writer);
    }

    [Benchmark(OperationsPerInvoke = Repeat, Description = "string \"bob@example.com\"")]
    public int Email()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteStringValue(_email);
        }

        return End(ref writer);
    }

    [Benchmark(OperationsPerInvoke = Repeat, Description = "name (50 bytes, constant)")]
    public int Name()
    {
        var writer = Start();
        for (int i = 0; i < Repeat; i++)
        {
            writer.WriteName("Subscription%20Started%20-%20Billing%20Address.City"u8);
        }

        return End(ref writer);
    }

    private KissmetricsWriter Start()
    {
        _buffer.ResetWrittenCount();
        return new KissmetricsWriter(_buffer);
    }

    private int End(ref KissmetricsWriter writer)
    {
        writer.Flush();
        return _buffer.WrittenCount;
    }
}
