package io.linkgate.broker.interop;

import io.linkgate.broker.BrokerLimits;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;

/** Copies of {@link BrokerLimits#defaults()} with some fields changed, by component name. */
final class TestLimits {
  private TestLimits() {
  }

  static BrokerLimits defaultsWith(Map<String, Object> changes) {
    BrokerLimits base = BrokerLimits.defaults();
    RecordComponent[] components = BrokerLimits.class.getRecordComponents();
    Object[] values = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        String name = components[i].getName();
        values[i] = changes.containsKey(name) ? changes.get(name) : components[i].getAccessor().invoke(base);
      }
      for (String name : changes.keySet()) {
        if (Arrays.stream(components).noneMatch(c -> c.getName().equals(name))) {
          throw new IllegalArgumentException("BrokerLimits has no field " + name);
        }
      }
      Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
      return BrokerLimits.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
