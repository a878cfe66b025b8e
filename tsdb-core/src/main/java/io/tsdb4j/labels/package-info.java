/** Label sets and label matchers: the identity of a series and the way queries select series. */
package io.tsdb4j.labels;
