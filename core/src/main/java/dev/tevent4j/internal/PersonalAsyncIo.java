package dev.tevent4j.internal;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.spi.PersonalityIo;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A wrapper's view of the main loop's AsyncIo in which every op carries the wrapper's
 * personality. A dynamic proxy rather than a delegating class: AsyncIo grows ops often, and a
 * proxy forwards every one of them, present and future, with the same rule.
 */
final class PersonalAsyncIo implements InvocationHandler {
    private final AsyncIo io;
    private final PersonalityIo personalities;
    private final int id;

    private PersonalAsyncIo(AsyncIo io, PersonalityIo personalities, int id) {
        this.io = io;
        this.personalities = personalities;
        this.id = id;
    }

    static AsyncIo of(AsyncIo io, PersonalityIo personalities, int id) {
        return (AsyncIo) Proxy.newProxyInstance(AsyncIo.class.getClassLoader(), new Class<?>[] {AsyncIo.class},
                new PersonalAsyncIo(io, personalities, id));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> io + " as personality " + id;
            };
        }
        int outer = personalities.swapPersonality(id);
        try {
            return method.invoke(io, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            personalities.swapPersonality(outer);
        }
    }
}
