import { expect } from '@open-wc/testing';
import { ViewerStage } from '../../src/render/viewer-stage.js';
import { viewState } from '../../src/render/view.js';

describe('ViewerStage', () => {
  it('draws each dirty layer once per animation frame, however often it is asked', async () => {
    const div = document.createElement('div');
    document.body.append(div);
    const stage = new ViewerStage(div);
    const layer = stage.createLayer('test');
    let draws = 0;
    const original = layer.draw.bind(layer);
    layer.draw = () => {
      draws++;
      return original();
    };
    let imageDraws = 0;
    const originalImage = stage.imageLayer.draw.bind(stage.imageLayer);
    stage.imageLayer.draw = () => {
      imageDraws++;
      return originalImage();
    };
    await stage.nextDraw();
    draws = 0;
    imageDraws = 0;
    for (let i = 0; i < 50; i++) stage.requestDraw(layer);
    await stage.nextDraw();
    expect(draws).to.equal(1);
    expect(imageDraws).to.equal(0);
    stage.destroy();
    div.remove();
  });

  it('keeps image-space layers on the image transform, screen-space layers untouched', () => {
    const div = document.createElement('div');
    const stage = new ViewerStage(div);
    const image = stage.createLayer('img');
    const screen = stage.createLayer('screen', { imageSpace: false, zIndex: 5 });
    stage.setView(viewState({ zoom: 2, centerX: 10, centerY: 10, aspect: 1.5, width: 100, height: 80 }));
    expect(image.scale()).to.deep.equal({ x: 2, y: 3 });
    expect(image.position()).to.deep.equal({ x: 30, y: 10 });
    expect(screen.scale()).to.deep.equal({ x: 1, y: 1 });
    // A layer added later picks up the current transform; z order follows zIndex, image lowest.
    const late = stage.createLayer('late', { zIndex: 1 });
    expect(late.scale()).to.deep.equal({ x: 2, y: 3 });
    expect(stage.imageLayer.zIndex()).to.equal(0);
    expect(screen.zIndex()).to.be.greaterThan(late.zIndex());
    stage.destroy();
  });
});

describe('ViewerStage canvases', () => {
  it('keeps three Konva layers however many layers are created, each on the right canvas in zIndex order', () => {
    const div = document.createElement('div');
    const stage = new ViewerStage(div);
    const made = [
      stage.createLayer('a', { zIndex: 10 }),
      stage.createLayer('b', { zIndex: 11 }),
      stage.createLayer('screen', { imageSpace: false, zIndex: 20 }),
      stage.createLayer('preview', { zIndex: 12, overlay: true }),
      stage.createLayer('cursor', { imageSpace: false, overlay: true, zIndex: 13 }),
      stage.createLayer('low', { zIndex: -1 }),
    ];
    expect(stage.stage.getLayers()).to.have.length(3);
    expect(stage.stage.getLayers()[0]).to.equal(stage.imageLayer);
    const [annotations, overlay] = stage.stage.getLayers().slice(1);
    expect(annotations!.getChildren().map((g) => g.name())).to.deep.equal([
      'low',
      'vx-annotations',
      'a',
      'b',
      'screen',
    ]);
    expect(overlay!.getChildren().map((g) => g.name())).to.deep.equal(['preview', 'cursor']);
    made.forEach((l) => l.destroy());
    expect(stage.stage.getLayers()).to.have.length(3);
    expect(annotations!.getChildren()).to.have.length(1);
    stage.destroy();
  });

  it('draws a canvas once per frame however many of its layers changed, and clears what a removed layer drew', async () => {
    const div = document.createElement('div');
    document.body.append(div);
    const stage = new ViewerStage(div);
    stage.setView(viewState({ zoom: 1, centerX: 5, centerY: 5, aspect: 1, width: 20, height: 20 }));
    const a = stage.createLayer('a');
    const b = stage.createLayer('b');
    const [, annotations] = stage.stage.getLayers();
    await stage.nextDraw();
    let paints = 0;
    const drawScene = annotations!.drawScene.bind(annotations!);
    annotations!.drawScene = (...args: Parameters<typeof drawScene>) => {
      paints++;
      return drawScene(...args);
    };
    stage.requestDraw(a);
    stage.requestDraw(b);
    b.x(3); // Konva's auto-draw of the canvas joins the same draw
    await stage.nextDraw();
    expect(paints).to.equal(1);
    b.destroy();
    await stage.nextDraw();
    expect(paints).to.equal(2);
    stage.destroy();
    div.remove();
  });
});
