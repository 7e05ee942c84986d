#if !NET
using Microsoft.CodeAnalysis;

namespace System.Collections.Generic;

/// <summary>The <c>Try...</c> members of <c>Queue&lt;T&gt;</c> and <c>Stack&lt;T&gt;</c> (.NET Core 2.0+), which netstandard2.0 lacks.</summary>
[Embedded]
internal static class CollectionPolyfills
{
    extension<T>(Queue<T> queue)
    {
        public bool TryDequeue(out T result)
        {
            if (queue.Count == 0)
            {
                result = default!;
                return false;
            }

            result = queue.Dequeue();
            return true;
        }

        public bool TryPeek(out T result)
        {
            if (queue.Count == 0)
            {
                result = default!;
                return false;
            }

            result = queue.Peek();
            return true;
        }
    }

    extension<T>(Stack<T> stack)
    {
        public bool TryPop(out T result)
        {
            if (stack.Count == 0)
            {
                result = default!;
                return false;
            }

            result = stack.Pop();
            return true;
        }
    }
}
#endif
