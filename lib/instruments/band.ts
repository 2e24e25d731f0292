/**
 * The healthy band of log10 update:data, where diagnose() says nothing of the learning rate: the one
 * band the instruments page shades, the diagnose page draws and the lab shows. It is the lecture's rule
 * of thumb, about 1e-3 (log10 −3), with a factor 10 either way. A module of its own, importing nothing,
 * so that the lab's page can read it without bundling the instruments.
 */
export const updateDataBand = { from: -4, to: -2 } as const
