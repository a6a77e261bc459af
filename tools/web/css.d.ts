// Stylesheets imported for their side effect: esbuild gathers them into main.css.
declare module "*.css";
