package io.linkgate;

public final class Main {
  public static void main(String[] args) {
  }
}
