package dev.jcnn.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import org.junit.jupiter.api.function.Executable;

/**
 * Asserts that bad input is rejected with a message a user can act on: the exception type,
 * and fragments the message must contain (the value received, what was expected).
 */
public final class ExpectMessage {

    private ExpectMessage() {
    }

    /**
     * Runs the call, asserts it throws the given type, and that its message contains every
     * fragment, case-insensitively. A fragment may list alternatives separated by " | ".
     */
    public static <T extends Throwable> T assertThrowsMentioning(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        String message = e.getMessage();
        if (message == null) {
            throw new AssertionError(type.getSimpleName() + " has no message; expected one mentioning "
                    + String.join(", ", fragments), e);
        }
        String lower = message.toLowerCase(Locale.ROOT);
        for (String fragment : fragments) {
            boolean found = false;
            for (String alternative : fragment.split(" \\| ")) {
                found |= lower.contains(alternative.toLowerCase(Locale.ROOT));
            }
            if (!found) {
                throw new AssertionError("message \"" + message + "\" does not mention " + fragment.replace(" | ", " or "), e);
            }
        }
        return e;
    }
}
