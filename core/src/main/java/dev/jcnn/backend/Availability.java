package dev.jcnn.backend;

/** Whether a backend can start on this machine, and if not, precisely why. */
public record Availability(boolean available, String reason) {

    public static Availability yes(String description) {
        return new Availability(true, description);
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
