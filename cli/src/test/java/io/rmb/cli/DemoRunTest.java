package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DemoRunTest {
  @Test
  void theMedianOfAnOddCountIsItsMiddleValueInAnyOrder() {
    assertThat(DemoRun.median(new double[] {0.61, 0.42, 0.5})).isEqualTo(0.5);
    assertThat(DemoRun.median(new double[] {0.3})).isEqualTo(0.3);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(DemoRun.median(new double[] {0.9, 0.4, 0.6, 0.1})).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void theInputIsNotReordered() {
    double[] ratios = {0.7, 0.2, 0.5};
    DemoRun.median(ratios);
    assertThat(ratios).containsExactly(0.7, 0.2, 0.5);
  }

  @Test
  void noValuesIsAnError() {
    assertThatThrownBy(() -> DemoRun.median(new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
