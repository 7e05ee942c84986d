#if !NET
using Microsoft.CodeAnalysis;

namespace System.Threading;

/// <summary>
/// <c>IThreadPoolWorkItem</c> of .NET Core 3.0+, which netstandard2.0 lacks: on netstandard2.0 the item is queued
/// through a cached <see cref="WaitCallback"/>, so queuing it still allocates nothing of our own.
/// </summary>
[Embedded]
internal interface IThreadPoolWorkItem
{
    void Execute();
}

/// <summary>The <c>ThreadPool.UnsafeQueueUserWorkItem</c> overloads of .NET Core 3.0+ (the work item; the typed state).</summary>
[Embedded]
internal static class ThreadPoolPolyfills
{
    private static readonly WaitCallback s_executeWorkItem = static state => ((IThreadPoolWorkItem)state!).Execute();

    extension(ThreadPool)
    {
        /// <summary>Queues <paramref name="callBack"/>; <paramref name="preferLocal"/> is a hint netstandard2.0 has no way to give.</summary>
        public static bool UnsafeQueueUserWorkItem(IThreadPoolWorkItem callBack, bool preferLocal)
        {
            _ = preferLocal;
            return ThreadPool.UnsafeQueueUserWorkItem(s_executeWorkItem, callBack);
        }

        /// <summary>Queues <paramref name="callBack"/> with its state, which netstandard2.0 boxes (only rare paths use it).</summary>
        public static bool UnsafeQueueUserWorkItem<TState>(Action<TState> callBack, TState state, bool preferLocal)
        {
            _ = preferLocal;
            return ThreadPool.UnsafeQueueUserWorkItem(static boxed => ((StateCallback<TState>)boxed!).Invoke(), new StateCallback<TState>(callBack, state));
        }
    }

    private sealed class StateCallback<TState>(Action<TState> callBack, TState state)
    {
        public void Invoke() => callBack(state);
    }
}
#endif
