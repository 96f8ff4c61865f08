package dev.xent.cli;

/** The {@code xent} command (placeholder). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("xent");
    }
}
